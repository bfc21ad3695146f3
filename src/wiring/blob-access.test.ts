import { describe, expect, it } from "vitest";
import { createBlobAccess } from "./blob-access.js";
import type { BlobStore } from "../blob/blob-store.js";

const fakeStore = {} as BlobStore;

describe("createBlobAccess", () => {
  it("lends a container SAS seen on the catalog to that container's SAS-less image URLs", () => {
    const access = createBlobAccess({}, undefined, { store: fakeStore });
    const catalog = access.parse("https://acct.blob.core.windows.net/art/cat.tsv?sv=1&sr=c&sig=s1");
    expect(catalog?.sas).toBe("sv=1&sr=c&sig=s1");
    expect(access.parse("https://acct.blob.core.windows.net/art/images/1.jpg")?.sas).toBe("sv=1&sr=c&sig=s1");
    expect(access.parse("https://acct.blob.core.windows.net/other/1.jpg")?.sas).toBeUndefined();
  });

  it("does not lend a SAS scoped to one blob", () => {
    const access = createBlobAccess({}, undefined, { store: fakeStore });
    access.parse("https://acct.blob.core.windows.net/art/cat.tsv?sv=1&sr=b&sig=s1");
    expect(access.parse("https://acct.blob.core.windows.net/art/images/1.jpg")?.sas).toBeUndefined();
  });
});
