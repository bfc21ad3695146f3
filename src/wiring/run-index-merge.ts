import path from "node:path";
import { blobAccessFor, blobIndexCacheDir } from "./blob-index-location.js";
import { pullIndex } from "../blob/pull-index.js";
import { pushIndex } from "../blob/push-index.js";
import { redact } from "../redact.js";
import type { Context } from "./context.js";
import { collectionPostprocess, recipeOf } from "../model/collection-postprocess.js";
import { planForModelId } from "../model/model-from-config.js";
import { mergeIndexes } from "../vector-index/merge-indexes.js";
import { readManifest } from "../vector-index/read-manifest.js";
import type { IndexManifest } from "../vector-index/types.js";

export interface IndexMergeResult {
  /** Where the merged index is: the local directory, or the blob location (secrets blanked). */
  out: string;
  count: number;
  parts: number;
}

/**
 * `mosaic index merge <out> <parts...>`: each part and the output may be a local directory or a blob
 * location. Blob parts are pulled (checksums verified) into the cache first; a blob output is built
 * in the cache and published once complete.
 */
export async function runIndexMerge(
  ctx: Context,
  out: string,
  parts: readonly string[],
  options: { keepFit?: boolean } = {},
): Promise<IndexMergeResult> {
  const access = blobAccessFor(ctx);
  const step = <T>(label: string, work: () => Promise<T>) => ctx.reporter.step(label, work);
  const inputs: string[] = [];
  for (const part of parts) {
    const ref = access.parse(part);
    if (ref === undefined) {
      inputs.push(path.resolve(ctx.cwd, part));
      continue;
    }
    const dir = blobIndexCacheDir(ctx.cacheDir, ref);
    await step(`Fetching ${redact(part)}`, () => pullIndex(ref, dir, access.store, { signal: ctx.signal }));
    inputs.push(dir);
  }
  const outRef = access.parse(out);
  const outDir = outRef === undefined ? path.resolve(ctx.cwd, out) : blobIndexCacheDir(ctx.cacheDir, outRef);
  const modelId = (await readManifest(inputs[0]!)).model.id;
  const manifest: IndexManifest = await step(`Merging ${inputs.length} indexes`, () =>
    mergeIndexes(inputs, outDir, {
      postprocessFor: (first) =>
        // A refit repeats the preset's recipe (its k was not yet capped by a small first fit).
        collectionPostprocess(planForModelId(modelId)?.transform ?? recipeOf(first.header), {
          fixed: options.keepFit ? first : undefined,
          onNote: (text) => ctx.reporter.note(text),
        }),
    }),
  );
  if (outRef !== undefined) {
    await step(`Publishing to ${redact(out)}`, () =>
      pushIndex(outDir, outRef, access.store, { signal: ctx.signal }),
    );
  }
  return { out: outRef === undefined ? outDir : redact(out), count: manifest.count, parts: parts.length };
}
