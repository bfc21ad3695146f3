import { describe, expect, it } from "vitest";
import { parseConnectionString } from "./blob/connection-string.js";
import { redact, stripCredentials } from "./redact.js";

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

  it("blanks the password of user-info in a URL", () => {
    expect(redact("see https://bob:hunter2@example.org/a.jpg")).toBe(
      "see https://REDACTED@example.org/a.jpg",
    );
  });
});

describe("stripCredentials", () => {
  it("drops a SAS token whole and keeps the blob path and other parameters", () => {
    const url = "https://a.blob.core.windows.net/c/x%20y.jpg?width=200&sv=2022-11-02&sp=r&sig=abc%2B%3D";
    expect(stripCredentials(url)).toBe("https://a.blob.core.windows.net/c/x%20y.jpg?width=200");
  });

  it("drops tokens and user-info, leaves clean URLs and plain text untouched", () => {
    expect(stripCredentials("https://u:p@h.example/a.jpg?token=t1&v=2")).toBe("https://h.example/a.jpg?v=2");
    expect(stripCredentials("https://h.example/a.jpg?v=2&sv=1")).toBe("https://h.example/a.jpg?v=2&sv=1");
    expect(stripCredentials("Portrait, with comma")).toBe("Portrait, with comma");
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
