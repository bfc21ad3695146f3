import type { BlobAccess } from "../blob/blob-access.js";
import { blobAccessOver } from "../blob/blob-access.js";
import { type AzureConfig, blobSettingsFrom } from "../blob/blob-settings.js";
import type { BlobStore } from "../blob/blob-store.js";
import { type AzureBlobStoreOptions, createAzureBlobStore } from "../infra/azure-blob-store.js";

export interface BlobAccessDeps {
  /** Default: the Azure SDK store over these settings. A fake given here serves both stores. */
  store?: BlobStore;
  storeOptions?: AzureBlobStoreOptions;
}

/** Builds the blob access for one command run over the Azure SDK store (or the fake given in deps). */
export function createBlobAccess(
  env: Record<string, string | undefined>,
  azure: AzureConfig | undefined,
  deps: BlobAccessDeps = {},
): BlobAccess {
  const settings = blobSettingsFrom(env, azure);
  const store = deps.store ?? createAzureBlobStore(settings, deps.storeOptions);
  const singleTryStore = deps.store ?? createAzureBlobStore(settings, { ...deps.storeOptions, maxTries: 1 });
  return blobAccessOver(settings, store, singleTryStore);
}
