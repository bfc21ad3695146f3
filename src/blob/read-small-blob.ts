import { MosaicError } from "../errors.js";
import { type BlobRef, blobUrl } from "./blob-location.js";
import type { BlobStore } from "./blob-store.js";

/** Reads a small blob (pointer, manifest) whole; refuses anything over `maxBytes`. */
export async function readSmallBlob(
  store: BlobStore,
  ref: BlobRef,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<Buffer> {
  const { stream, size } = await store.openRead(ref, signal);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) break;
      chunks.push(chunk);
    }
  } finally {
    stream.destroy();
  }
  if (total > maxBytes || (size !== undefined && size > maxBytes)) {
    throw new MosaicError(`${blobUrl(ref)} is larger than the ${maxBytes} bytes expected of it.`, {
      hint: "Check that the location points at a mosaic index.",
    });
  }
  return Buffer.concat(chunks, total);
}
