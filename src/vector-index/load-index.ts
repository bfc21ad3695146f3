import { vectorIndex } from "./vector-index.js";
import { assertLittleEndianHost } from "./format.js";
import { readPostings, readRecords, readTransform, readVectors } from "./read-index-files.js";
import { readManifest } from "./read-manifest.js";
import type { VectorIndex } from "./types.js";

export interface LoadIndexOptions {
  /** Fail with a how-to-fix hint when the index was built by another model. */
  expectModelId?: string | undefined;
  /** Check every data file's sha256 against the manifest (default true). Sizes are always checked. */
  verify?: boolean;
}

/**
 * Loads the index at `dir` into memory after validating the manifest, the model, each file's size
 * and (by default) checksum. Every failure is a MosaicError naming the file and how to fix it.
 */
export async function loadIndex(dir: string, options: LoadIndexOptions = {}): Promise<VectorIndex> {
  assertLittleEndianHost();
  const verify = options.verify ?? true;
  const manifest = await readManifest(dir, { expectModelId: options.expectModelId });
  const vectors = await readVectors(dir, manifest, verify);
  const { records, ordinals } = await readRecords(dir, manifest, verify);
  const postings = await readPostings(dir, manifest, verify);
  const transform = await readTransform(dir, manifest, verify);
  return vectorIndex({ manifest, vectors, records, postings, ordinals, transform });
}
