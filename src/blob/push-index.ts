import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { MANIFEST_FILE } from "../vector-index/format.js";
import { readManifest } from "../vector-index/read-manifest.js";
import { type BlobRef, blobUrl, childRef } from "./blob-location.js";
import type { BlobStore } from "./blob-store.js";
import { CURRENT_BLOB, formatPointer, versionName } from "./current-pointer.js";
import { type UploadProgress, uploadFileBlocks } from "./upload-file-blocks.js";
import { readPointer } from "./read-pointer.js";
import { guard } from "./storage-error.js";

export interface PushIndexOptions {
  signal?: AbortSignal | undefined;
  /** Bytes per staged block. Default 8 MiB. */
  blockSize?: number;
  onProgress?: ((progress: UploadProgress) => void) | undefined;
}

export interface PushResult {
  /** SAS-free URL of the index prefix (where CURRENT lives). */
  location: string;
  version: string;
  manifestSha256: string;
  /** Bytes uploaded now, and bytes found already uploaded by an earlier interrupted push. */
  sentBytes: number;
  reusedBytes: number;
  /** CURRENT already named this version; nothing was uploaded. */
  unchanged: boolean;
}

const DEFAULT_BLOCK = 8 << 20;

/**
 * Publishes the index in `dir` under the blob prefix `target`: the data files (resumable block
 * uploads, checked against the manifest's sha256) and then manifest.json go to `<prefix>/<version>/`,
 * and only then is `<prefix>/CURRENT` switched to that version. A reader following CURRENT therefore
 * never sees a half-written index; an interrupted push leaves CURRENT on the previous version and a
 * re-run resumes the same version where it stopped.
 */
export async function pushIndex(
  dir: string,
  target: BlobRef,
  store: BlobStore,
  options: PushIndexOptions = {},
): Promise<PushResult> {
  const { signal } = options;
  const manifest = await readManifest(dir);
  const manifestBytes = await readFile(path.join(dir, MANIFEST_FILE));
  const manifestSha256 = createHash("sha256").update(manifestBytes).digest("hex");
  const version = versionName(manifest.createdAt, manifestSha256);
  const result: PushResult = {
    location: blobUrl(target),
    version,
    manifestSha256,
    sentBytes: 0,
    reusedBytes: 0,
    unchanged: false,
  };
  const current = await readPointer(store, target, signal);
  if (current?.version === version && current.manifestSha256 === manifestSha256) {
    return { ...result, unchanged: true };
  }
  const versionRef = childRef(target, version);
  for (const [name, entry] of Object.entries(manifest.files)) {
    const outcome = await uploadFileBlocks(store, path.join(dir, name), childRef(versionRef, name), entry, {
      blockSize: options.blockSize ?? DEFAULT_BLOCK,
      signal,
      onProgress: options.onProgress,
    });
    result.sentBytes += outcome.sent;
    result.reusedBytes += outcome.reused;
  }
  const manifestRef = childRef(versionRef, MANIFEST_FILE);
  await guard(
    () =>
      store.write(manifestRef, manifestBytes, {
        contentType: "application/json",
        metadata: { sha256: manifestSha256 },
        signal,
      }),
    "uploading the manifest",
    manifestRef,
  );
  const pointerRef = childRef(target, CURRENT_BLOB);
  // Last write of the publish: one Put Blob, atomic on the service side.
  await guard(
    () =>
      store.write(pointerRef, formatPointer({ version, manifestSha256 }), {
        contentType: "application/json",
        signal,
      }),
    "publishing",
    pointerRef,
  );
  result.sentBytes += manifestBytes.byteLength;
  return result;
}
