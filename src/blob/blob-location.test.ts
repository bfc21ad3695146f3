import { describe, expect, it } from "vitest";
import { blobUrl, childRef, parseBlobLocation } from "./blob-location.js";
import { blobSettingsFrom } from "./blob-settings.js";
import { chooseCredential } from "./choose-credential.js";

const KEY = "a2V5a2V5a2V5a2V5a2V5a2V5";
const azurite = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${KEY};BlobEndpoint=http://127.0.0.1:10123/devstoreaccount1;`;

describe("parseBlobLocation", () => {
  it("reads account, container and path from an Azure URL, keeping a SAS apart", () => {
    const ref = parseBlobLocation("https://acct.blob.core.windows.net/art/cat/a%20b.tsv?sv=1&sig=abc", {});
    expect(ref).toEqual({
      account: "acct",
      endpoint: "https://acct.blob.core.windows.net",
      container: "art",
      path: "cat/a b.tsv",
      sas: "sv=1&sig=abc",
    });
    expect(blobUrl(ref!)).toBe("https://acct.blob.core.windows.net/art/cat/a%20b.tsv");
  });

  it("resolves az:// against AZURE_STORAGE_ACCOUNT, then config, then the connection string", () => {
    expect(
      parseBlobLocation(
        "az://art/x.jpg",
        blobSettingsFrom({ AZURE_STORAGE_ACCOUNT: "envacct" }, { account: "cfg" }),
      ),
    ).toMatchObject({
      account: "envacct",
      endpoint: "https://envacct.blob.core.windows.net",
      container: "art",
      path: "x.jpg",
    });
    expect(parseBlobLocation("az://art/x.jpg", blobSettingsFrom({}, { account: "cfg" }))).toMatchObject({
      account: "cfg",
    });
    const viaConnection = parseBlobLocation(
      "az://art/idx",
      blobSettingsFrom({ AZURE_STORAGE_CONNECTION_STRING: azurite }),
    );
    expect(viaConnection).toMatchObject({
      account: "devstoreaccount1",
      endpoint: "http://127.0.0.1:10123/devstoreaccount1",
    });
  });

  it("takes the container from the config for az:///path", () => {
    const ref = parseBlobLocation(
      "az:///idx/main",
      blobSettingsFrom({}, { account: "a1b", container: "art" }),
    );
    expect(ref).toMatchObject({ container: "art", path: "idx/main" });
  });

  it("recognises Azurite URLs only under the configured connection string's endpoint", () => {
    const url = "http://127.0.0.1:10123/devstoreaccount1/art/images/1.jpg";
    expect(parseBlobLocation(url, {})).toBeUndefined();
    expect(
      parseBlobLocation(url, blobSettingsFrom({ AZURE_STORAGE_CONNECTION_STRING: azurite })),
    ).toMatchObject({
      container: "art",
      path: "images/1.jpg",
    });
    expect(
      parseBlobLocation(
        "http://127.0.0.1:9999/devstoreaccount1/art/1.jpg",
        blobSettingsFrom({ AZURE_STORAGE_CONNECTION_STRING: azurite }),
      ),
    ).toBeUndefined();
  });

  it("leaves other URLs and paths alone, and explains unusable blob locations", () => {
    expect(parseBlobLocation("https://example.com/a.tsv", {})).toBeUndefined();
    expect(parseBlobLocation("data/catalog.tsv", {})).toBeUndefined();
    expect(() => parseBlobLocation("az://art/x", {})).toThrow(/needs a storage account/);
    expect(() => parseBlobLocation("https://acct.blob.core.windows.net/A_B/x", {})).toThrow(
      /valid blob container/,
    );
  });

  it("joins children under a prefix", () => {
    const root = parseBlobLocation("az://art", blobSettingsFrom({ AZURE_STORAGE_ACCOUNT: "acct" }))!;
    expect(childRef(root, "CURRENT").path).toBe("CURRENT");
    expect(childRef(childRef(root, "idx/"), "v-1").path).toBe("idx/v-1");
  });
});

describe("chooseCredential", () => {
  const ref = {
    account: "acct",
    endpoint: "https://acct.blob.core.windows.net",
    container: "art",
    path: "x",
  };
  it("prefers a SAS, then the connection string, then account + key, then DefaultAzureCredential", () => {
    const all = blobSettingsFrom({
      AZURE_STORAGE_CONNECTION_STRING: `AccountName=acct;AccountKey=${KEY}`,
      AZURE_STORAGE_ACCOUNT: "acct",
      AZURE_STORAGE_KEY: KEY,
    });
    expect(chooseCredential({ ...ref, sas: "sig=x" }, all).kind).toBe("sas");
    expect(chooseCredential(ref, all).kind).toBe("connection-string");
    expect(
      chooseCredential(ref, blobSettingsFrom({ AZURE_STORAGE_ACCOUNT: "acct", AZURE_STORAGE_KEY: KEY })).kind,
    ).toBe("shared-key");
    // Credentials for another account are not sent to this one.
    expect(
      chooseCredential(ref, blobSettingsFrom({ AZURE_STORAGE_ACCOUNT: "other", AZURE_STORAGE_KEY: KEY }))
        .kind,
    ).toBe("default");
  });
});
