import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { MosaicError, throwIfAborted } from "../errors.js";
import type { IndexFileEntry } from "../vector-index/types.js";
import { type BlobRef, blobUrl } from "./blob-location.js";
import type { BlobStore } from "./blob-store.js";
import { guard } from "./storage-error.js";

export interface UploadProgress {
  file: string;
  /** Bytes of this file done so far (staged now or found staged/committed from an earlier try). */
  done: number;
  total: number;
}

export interface UploadFileOptions {
  blockSize: number;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: UploadProgress) => void) | undefined;
}

export interface UploadOutcome {
  /** Bytes sent now; the rest was already in storage from an earlier, interrupted push. */
  sent: number;
  reused: number;
}

/**
 * Uploads one index file as a block blob, resumably: block ids encode the block's position and a hash
 * of its bytes, so blocks an interrupted push already staged (listed by getBlockList "uncommitted")
 * are skipped, and a blob already committed with this sha256 is skipped whole. The file is hashed on
 * the way and must match the manifest before the block list is committed.
 */
export async function uploadFileBlocks(
  store: BlobStore,
  localPath: string,
  ref: BlobRef,
  expected: IndexFileEntry,
  options: UploadFileOptions,
): Promise<UploadOutcome> {
  const { signal, blockSize } = options;
  const file = ref.path;
  const committed = await guard(() => store.metadata(ref, signal), "checking an uploaded index file", ref);
  if (committed?.sha256 === expected.sha256) {
    options.onProgress?.({ file, done: expected.bytes, total: expected.bytes });
    return { sent: 0, reused: expected.bytes };
  }
  const staged = await guard(() => store.stagedBlocks(ref, signal), "listing staged blocks of", ref);
  const whole = createHash("sha256");
  const ids: string[] = [];
  const outcome: UploadOutcome = { sent: 0, reused: 0 };
  const handle = await open(localPath, "r");
  try {
    const buffer = Buffer.allocUnsafe(blockSize);
    for (let offset = 0; ; ) {
      throwIfAborted(signal);
      const { bytesRead } = await handle.read(buffer, 0, blockSize, offset);
      if (bytesRead === 0) break;
      const block = buffer.subarray(0, bytesRead);
      whole.update(block);
      const id = blockId(ids.length, block);
      ids.push(id);
      if (staged.get(id) === bytesRead) {
        outcome.reused += bytesRead;
      } else {
        await guard(() => store.stageBlock(ref, id, block, signal), "uploading", ref);
        outcome.sent += bytesRead;
      }
      offset += bytesRead;
      options.onProgress?.({ file, done: offset, total: expected.bytes });
    }
  } finally {
    await handle.close();
  }
  const digest = whole.digest("hex");
  if (digest !== expected.sha256) {
    throw new MosaicError(
      `${localPath} does not match its manifest (sha256 ${digest}, manifest ${expected.sha256}); nothing was published to ${blobUrl(ref)}.`,
      {
        hint: "The local index is corrupt or changed during the upload; rebuild it with `mosaic featurize`.",
      },
    );
  }
  await guard(
    () =>
      store.commitBlocks(ref, ids, {
        metadata: { sha256: digest },
        contentType: "application/octet-stream",
        signal,
      }),
    "committing",
    ref,
  );
  return outcome;
}

/** Same length for every block of a blob (the service requires it): 6-digit position + 32 hex of sha256. */
function blockId(position: number, block: Uint8Array): string {
  const hash = createHash("sha256").update(block).digest("hex").slice(0, 32);
  return Buffer.from(`${String(position).padStart(6, "0")}-${hash}`).toString("base64");
}
