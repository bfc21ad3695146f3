import { type BlobRef, blobUrl, childRef } from "./blob-location.js";
import type { BlobStore } from "./blob-store.js";
import { BlobStoreError } from "./blob-store.js";
import { CURRENT_BLOB, type CurrentPointer, parsePointer } from "./current-pointer.js";
import { readSmallBlob } from "./read-small-blob.js";
import { guard } from "./storage-error.js";

/** `<prefix>/CURRENT`, or undefined when nothing was ever published there (a missing container throws). */
export async function readPointer(
  store: BlobStore,
  prefix: BlobRef,
  signal?: AbortSignal,
): Promise<CurrentPointer | undefined> {
  const ref = childRef(prefix, CURRENT_BLOB);
  const text = await guard(
    async () => {
      try {
        return (await readSmallBlob(store, ref, 64 * 1024, signal)).toString("utf8");
      } catch (error) {
        if (error instanceof BlobStoreError && error.kind === "not_found") return undefined;
        throw error;
      }
    },
    "reading the index pointer",
    ref,
  );
  return text === undefined ? undefined : parsePointer(text, blobUrl(ref));
}
