import path from "node:path";
import { UsageError } from "../errors.js";
import { MosaicError } from "../errors.js";
import { createIndexWriter, type IndexPostprocess } from "./index-writer.js";
import { loadIndex } from "./load-index.js";
import { readRawVectors, readTransform } from "./read-index-files.js";
import { readManifest } from "./read-manifest.js";
import { imageDirOf, resolveStoredImage, storedImageRef } from "./stored-image.js";
import type { IndexManifest, StoredTransform } from "./types.js";

export interface MergeOptions {
  /** Clock for manifest.createdAt. */
  now?: () => Date;
  /**
   * For version-2 inputs: the post-processing of the merged rows, given the first input's stored
   * transform (apply it to every input's raw rows, or refit on all of them).
   */
  postprocessFor?: ((first: StoredTransform) => IndexPostprocess) | undefined;
}

/**
 * Combines partial indexes (e.g. shards featurized on different machines) into one at `outDir`.
 * All inputs must come from the same model. Records are stored in id order, so merging the shards
 * of a featurize run (which also writes in id order) reproduces the single-run files byte for byte;
 * when an id appears more than once the copy from the earliest input wins. Facets are the union, in
 * first-seen order. Every input is
 * checksum-verified; inputs are loaded one at a time so memory holds one shard, not all of them.
 * `outDir` may be one of the inputs: it is only replaced after everything was read.
 */
export async function mergeIndexes(
  inputs: readonly string[],
  outDir: string,
  options: MergeOptions = {},
): Promise<IndexManifest> {
  if (inputs.length === 0) {
    throw new UsageError("Nothing to merge: no input indexes given", {
      hint: "Pass one or more index directories.",
    });
  }
  const manifests = await Promise.all(inputs.map((dir) => readManifest(dir)));
  const first = manifests[0]!;
  manifests.forEach((m, i) => {
    // Transformed parts are merged from their raw rows; their fitted dims may differ (k ≤ rows − 1).
    const width = (x: IndexManifest) => (x.transform ? x.model.dim : x.dim);
    if (m.model.id !== first.model.id || width(m) !== width(first) || !m.transform !== !first.transform) {
      throw new UsageError(
        `Cannot merge ${inputs[i]} (model ${m.model.id}, dim ${m.dim}) with ${inputs[0]} (model ${first.model.id}, dim ${first.dim})`,
        { hint: "Only indexes featurized with the same model can be merged; re-featurize the odd one out." },
      );
    }
  });
  const facets = [...new Set(manifests.flatMap((m) => m.facets))];
  // Transformed inputs are merged from their raw rows: each shard's fit differs, the merged one is one fit.
  const stored = await readTransform(inputs[0]!, first, true);
  if (stored && !options.postprocessFor) {
    throw new MosaicError("Merging transformed indexes needs their post-processing", {
      hint: "Merge with `mosaic index merge`, which refits the transform on all rows (or with --keep-fit re-applies the first part's).",
    });
  }
  const postprocess = stored ? options.postprocessFor?.(stored) : undefined;
  // Relative image paths are re-based onto the merged index's root (the first part's catalog directory).
  const imageDirs = inputs.map((dir, i) => imageDirOf(dir, manifests[i]!));
  const rootDir = imageDirs.find((d) => d !== undefined);
  const imageRoot = rootDir === undefined ? undefined : path.relative(path.resolve(outDir), rootDir) || ".";
  const writer = await createIndexWriter(outDir, {
    model: first.model,
    postprocess,
    facets,
    columns: manifests.find((m) => m.columns)?.columns,
    imageRoot,
    orderById: true,
    ...(options.now ? { now: options.now } : {}),
  });
  const seen = new Set<string>();
  try {
    for (const [part, dir] of inputs.entries()) {
      const imageDir = imageDirs[part];
      const rebase = imageDir !== undefined && rootDir !== undefined && imageDir !== rootDir;
      const index = await loadIndex(dir, { expectModelId: first.model.id, verify: true });
      const rows = stored ? await readRawVectors(dir, index.manifest, true) : index.vectors;
      const width = index.manifest.model.dim;
      for (let i = 0; i < index.count; i++) {
        const record = index.records[i]!;
        if (seen.has(record.id)) continue;
        seen.add(record.id);
        const image = rebase
          ? storedImageRef(resolveStoredImage(record.image, imageDir), rootDir)
          : record.image;
        await writer.add({ ...record, image }, rows.subarray(i * width, (i + 1) * width));
      }
    }
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return writer.commit();
}
