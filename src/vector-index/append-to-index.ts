import { UsageError } from "../errors.js";
import { type IndexPostprocess, type IndexWriter, openIndexWriter } from "./index-writer.js";
import { readPostings, readRecords } from "./read-index-files.js";
import { readManifest } from "./read-manifest.js";
import type { IndexManifest, IndexRecord } from "./types.js";
import { rowAt, rowCount, type VectorRows } from "./vector-rows.js";

export interface AppendOptions {
  /** Clock for manifest.createdAt. */
  now?: () => Date;
  /** Needed for a version-2 index: applies its stored transform to the new raw rows (see IndexPostprocess). */
  postprocess?: IndexPostprocess | undefined;
}

/**
 * Adds records to an existing index without re-featurizing or re-normalizing what is there: the old
 * files are streamed into a new version (checked against their checksums on the way), the new rows are
 * appended, and the new version replaces the old one atomically. Ordinals of existing records are kept.
 * Rejects ids already in the index and vectors of the wrong dimension; on error nothing changes.
 */
export async function appendToIndex(
  dir: string,
  records: readonly IndexRecord[],
  vectors: VectorRows,
  options: AppendOptions = {},
): Promise<IndexManifest> {
  const manifest = await readManifest(dir);
  // New rows come in as the model gives them: raw features for a version-2 index.
  const n = rowCount(vectors, manifest.model.dim);
  if (n !== records.length) {
    throw new UsageError(`Got ${records.length} records but ${n} vectors`, {
      hint: "Pass exactly one vector per record, in the same order.",
    });
  }
  const writer = await openAppendWriter(dir, manifest, options);
  try {
    for (let i = 0; i < n; i++) await writer.add(records[i]!, rowAt(vectors, i, manifest.model.dim));
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return writer.commit();
}

/**
 * A writer whose new version starts from the index at `dir` (its rows, ids and postings, checksums
 * verified): added records go after the existing ones, and commit swaps the new version in atomically.
 */
export async function openAppendWriter(
  dir: string,
  manifest: IndexManifest,
  options: AppendOptions = {},
): Promise<IndexWriter & { readonly existingIds: ReadonlySet<string> }> {
  const existing = await readRecords(dir, manifest, true);
  const postings = await readPostings(dir, manifest, true);
  const writer = await openIndexWriter(
    dir,
    {
      model: manifest.model,
      facets: manifest.facets,
      columns: manifest.columns,
      imageRoot: manifest.imageRoot,
      postprocess: options.postprocess,
      ...(options.now ? { now: options.now } : {}),
    },
    {
      dir,
      manifest,
      ids: existing.ordinals.keys(),
      postings: new Map(
        [...postings].map(([facet, byValue]) => [
          facet,
          new Map([...byValue].map(([value, ords]) => [value, Array.from(ords)])),
        ]),
      ),
    },
  );
  return Object.assign(writer, { existingIds: new Set(existing.ordinals.keys()) });
}
