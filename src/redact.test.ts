import { describe, expect, it } from "vitest";
import { parseConnectionString } from "./blob/connection-string.js";
import { redact } from "./redact.js";

describe("redact", () => {
  it("blanks SAS signatures, also URL-encoded inside another URL", () => {
    expect(redact("GET https://a.blob.core.windows.net/c/x?sv=2024&sig=AbC%2Fd%3D&se=1 failed")).toBe(
      "GET https://a.blob.core.windows.net/c/x?sv=2024&sig=REDACTED&se=1 failed",
    );
    expect(redact("u=https%3A%2F%2Fa%2Fx%3Fsv%3D1%26sig%3DSECRET")).not.toContain("SECRET");
  });

  it("blanks AccountKey and SharedAccessSignature in connection strings", () => {
    const out = redact("AccountName=a;AccountKey=abc/def==;SharedAccessSignature=sv=1&sig=zz;BlobEndpoint=x");
    expect(out).toBe("AccountName=a;AccountKey=REDACTED;SharedAccessSignature=REDACTED;BlobEndpoint=x");
  });

  it("blanks known secret values wherever they appear", () => {
    expect(redact("key was Zm9vYmFyYmF6 here", ["Zm9vYmFyYmF6"])).toBe("key was REDACTED here");
  });
});

describe("parseConnectionString", () => {
  it("derives the blob endpoint, or takes BlobEndpoint as given", () => {
    expect(
      parseConnectionString(
        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=k==;EndpointSuffix=core.windows.net",
      ),
    ).toEqual({
      account: "acct",
      blobEndpoint: "https://acct.blob.core.windows.net",
      accountKey: "k==",
    });
    expect(parseConnectionString("UseDevelopmentStorage=true").blobEndpoint).toBe(
      "http://127.0.0.1:10000/devstoreaccount1",
    );
  });

  it("fails without an account name, never echoing the key", () => {
    expect(() => parseConnectionString("AccountKey=TOPSECRETKEY")).toThrow(/AccountKey=REDACTED/);
  });
});
