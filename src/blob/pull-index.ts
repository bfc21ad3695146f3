import { createHash } from "node:crypto";
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { MosaicError } from "../errors.js";
import { makeTempSibling, removeDir, swapDirInto } from "../vector-index/atomic-dir.js";
import { MANIFEST_FILE, parseManifest } from "../vector-index/format.js";
import type { IndexManifest } from "../vector-index/types.js";
import { type BlobRef, blobUrl, childRef } from "./blob-location.js";
import type { BlobStore } from "./blob-store.js";
import { CURRENT_BLOB } from "./current-pointer.js";
import { downloadVerified } from "./download-verified.js";
import { readPointer } from "./read-pointer.js";
import { readSmallBlob } from "./read-small-blob.js";
import { guard } from "./storage-error.js";

export interface PullIndexOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: { file: string; done: number; total: number }) => void) | undefined;
}

export interface PullResult {
  dir: string;
  version: string;
  /** False when `dir` already held this version (nothing was downloaded). */
  downloaded: boolean;
}

const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

/**
 * Fetches the index published under the blob prefix `source` into `dir`: CURRENT names the version,
 * the version's manifest must match CURRENT's sha256, and every data file the manifest's size and
 * sha256. Files land in a temp sibling that replaces `dir` atomically only once all of them check out,
 * so `dir` always holds a complete index. When `dir` already holds the current version nothing is
 * downloaded.
 */
export async function pullIndex(
  source: BlobRef,
  dir: string,
  store: BlobStore,
  options: PullIndexOptions = {},
): Promise<PullResult> {
  const { signal } = options;
  const pointer = await readPointer(store, source, signal);
  if (pointer === undefined) {
    throw new MosaicError(
      `No mosaic index is published at ${blobUrl(source)} (${blobUrl(childRef(source, CURRENT_BLOB))} does not exist).`,
      {
        hint: "Publish one with `mosaic index push <dir> <location>` or `mosaic featurize --out <location>`, or check the path.",
      },
    );
  }
  if (await holdsVersion(dir, pointer.manifestSha256)) {
    return { dir, version: pointer.version, downloaded: false };
  }
  const versionRef = childRef(source, pointer.version);
  const manifestRef = childRef(versionRef, MANIFEST_FILE);
  const manifestBytes = await guard(
    () => readSmallBlob(store, manifestRef, 16 << 20, signal),
    "downloading the index manifest",
    manifestRef,
  );
  if (sha256(manifestBytes) !== pointer.manifestSha256) {
    throw new MosaicError(
      `${blobUrl(manifestRef)} does not match the sha256 that ${CURRENT_BLOB} recorded for it.`,
      { hint: "The published index was modified in place; publish it again with `mosaic index push`." },
    );
  }
  const manifest = parseManifest(manifestBytes.toString("utf8"), blobUrl(manifestRef));
  assertPlainFileNames(manifest, blobUrl(manifestRef));
  const tmp = await makeTempSibling(dir);
  try {
    for (const [name, entry] of Object.entries(manifest.files)) {
      await downloadVerified(store, childRef(versionRef, name), path.join(tmp, name), entry, signal, (done) =>
        options.onProgress?.({ file: name, done, total: entry.bytes }),
      );
    }
    // The manifest goes in last, as the index writer does: its presence means the directory is complete.
    await writeFile(path.join(tmp, MANIFEST_FILE), manifestBytes);
    await swapDirInto(tmp, dir);
  } catch (error) {
    await removeDir(tmp);
    throw error;
  }
  return { dir, version: pointer.version, downloaded: true };
}

/** A downloaded manifest names the files to write; none may step outside the index directory. */
function assertPlainFileNames(manifest: IndexManifest, where: string): void {
  const bad = Object.keys(manifest.files).find((name) => !/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(name));
  if (bad !== undefined) {
    throw new MosaicError(
      `${where} lists a file named ${JSON.stringify(bad)}, which is not a plain file name.`,
      {
        hint: "Only indexes written by mosaic can be pulled; publish it again with `mosaic index push`.",
      },
    );
  }
}

/** `dir` has this exact manifest and data files of the sizes it lists (loadIndex checks the hashes). */
async function holdsVersion(dir: string, manifestSha256: string): Promise<boolean> {
  const bytes = await readFile(path.join(dir, MANIFEST_FILE)).catch(() => undefined);
  if (bytes === undefined || sha256(bytes) !== manifestSha256) return false;
  let manifest: IndexManifest;
  try {
    manifest = parseManifest(bytes.toString("utf8"), dir);
  } catch {
    return false;
  }
  for (const [name, entry] of Object.entries(manifest.files)) {
    const info = await stat(path.join(dir, name)).catch(() => undefined);
    if (info?.size !== entry.bytes) return false;
  }
  return true;
}
