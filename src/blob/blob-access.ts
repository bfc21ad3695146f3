import { type BlobRef, parseBlobLocation } from "./blob-location.js";
import type { BlobSettings } from "./blob-settings.js";
import type { BlobStore } from "./blob-store.js";

/** Blob storage as a command sees it: resolved settings, a store, and a location parser. */
export interface BlobAccess {
  readonly settings: BlobSettings;
  readonly store: BlobStore;
  /** The same store without SDK retries, for callers that retry themselves (the image fetcher). */
  readonly singleTryStore: BlobStore;
  /** The blob a location names, or undefined when it is not blob storage. Throws UsageError for bad az:// forms. */
  parse(location: string): BlobRef | undefined;
}

/**
 * Blob access over the given stores. A container-wide SAS seen in one location (say the
 * catalog's) is reused for other blobs of the same container that come without one (its images, whose
 * URLs are stored SAS-free in the index).
 */
export function blobAccessOver(
  settings: BlobSettings,
  store: BlobStore,
  singleTryStore: BlobStore,
): BlobAccess {
  const containerSas = new Map<string, string>();
  return {
    settings,
    store,
    singleTryStore,
    parse(location) {
      const ref = parseBlobLocation(location, settings);
      if (ref === undefined) return undefined;
      const key = `${ref.endpoint}/${ref.container}`;
      if (ref.sas !== undefined) {
        if (!/(?:^|&)sr=b/i.test(ref.sas)) containerSas.set(key, ref.sas);
        return ref;
      }
      const inherited = containerSas.get(key);
      return inherited === undefined ? ref : { ...ref, sas: inherited };
    },
  };
}
