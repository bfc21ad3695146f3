import type { IndexManifest, IndexRecord, Postings, StoredTransform, VectorIndex } from "./types.js";

/** Assembles a VectorIndex from its parts (as loaded from disk, or built in memory by tests and benches). */
export function vectorIndex(parts: {
  manifest: IndexManifest;
  vectors: Float32Array;
  records: IndexRecord[];
  postings: Postings;
  transform?: StoredTransform | undefined;
  /** id → ordinal, when the caller already built it while reading the records. */
  ordinals?: Map<string, number>;
}): VectorIndex {
  const { manifest, vectors, records, postings } = parts;
  const ordinals = parts.ordinals ?? new Map(records.map((record, i) => [record.id, i]));
  return {
    manifest,
    dim: manifest.dim,
    count: manifest.count,
    vectors,
    records,
    postings,
    ...(parts.transform ? { transform: parts.transform } : {}),
    recordById: (id) => {
      const i = ordinals.get(id);
      return i === undefined ? undefined : records[i];
    },
    ordinalOf: (id) => ordinals.get(id),
  };
}
