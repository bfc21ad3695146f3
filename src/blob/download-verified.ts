import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { MosaicError, throwIfAborted } from "../errors.js";
import type { IndexFileEntry } from "../vector-index/types.js";
import { type BlobRef, blobUrl } from "./blob-location.js";
import type { BlobStore } from "./blob-store.js";
import { guard } from "./storage-error.js";

/**
 * Streams one blob to `localPath` (a new file), hashing on the way; throws unless its size and
 * sha256 are the manifest's. Memory stays flat for any file size.
 */
export async function downloadVerified(
  store: BlobStore,
  ref: BlobRef,
  localPath: string,
  expected: IndexFileEntry,
  signal?: AbortSignal,
  onBytes?: (done: number) => void,
): Promise<void> {
  const action = "downloading the index";
  const { stream } = await guard(() => store.openRead(ref, signal), action, ref);
  const hash = createHash("sha256");
  let total = 0;
  const handle = await open(localPath, "wx");
  try {
    await guard(
      async () => {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          throwIfAborted(signal);
          hash.update(chunk);
          total += chunk.length;
          if (total > expected.bytes) break;
          await handle.write(chunk);
          onBytes?.(total);
        }
      },
      action,
      ref,
    );
    await handle.sync();
  } finally {
    stream.destroy();
    await handle.close();
  }
  const digest = hash.digest("hex");
  if (total !== expected.bytes || digest !== expected.sha256) {
    throw new MosaicError(
      `Downloaded ${blobUrl(ref)} does not match the index manifest (${total} bytes, sha256 ${digest}; expected ${expected.bytes} bytes, ${expected.sha256}).`,
      {
        hint: "The blob was changed or truncated after publishing; publish the index again with `mosaic index push`.",
      },
    );
  }
}
