// One L2 normalizer for the whole tree (vector-index/normalize.ts); the row-wise form keeps its model name.
export { l2normalizeRows as l2normalize } from "../vector-index/normalize.js";

/** Cosine similarity of two equal-length vectors. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return na === 0 && nb === 0 ? 1 : dot / Math.sqrt(na * nb);
}
