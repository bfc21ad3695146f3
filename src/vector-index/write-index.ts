import { UsageError } from "../errors.js";
import { createIndexWriter, type IndexWriterOptions } from "./index-writer.js";
import type { IndexManifest, IndexRecord } from "./types.js";
import { rowAt, rowCount, type VectorRows } from "./vector-rows.js";

export interface WriteIndexInput extends IndexWriterOptions {
  records: readonly IndexRecord[];
  /** One vector per record (same order), or a flat row-major Float32Array. Normalized on write. */
  vectors: VectorRows;
}

/**
 * Writes a complete index to `dir` atomically, replacing any index already there. On any error the
 * previous index (if any) is left as it was and no temp dir remains.
 */
export async function writeIndex(dir: string, input: WriteIndexInput): Promise<IndexManifest> {
  const { records, vectors, ...options } = input;
  const n = rowCount(vectors, options.model.dim);
  if (n !== records.length) {
    throw new UsageError(`Got ${records.length} records but ${n} vectors`, {
      hint: "Pass exactly one vector per record, in the same order.",
    });
  }
  const writer = await createIndexWriter(dir, options);
  try {
    for (let i = 0; i < n; i++) await writer.add(records[i]!, rowAt(vectors, i, options.model.dim));
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return writer.commit();
}
