/** L2-normalizes each of the n rows of a row-major [n, dim] matrix in place (zero rows stay zero). */
export function l2normalize(vectors: Float32Array, dim: number): Float32Array {
  for (let off = 0; off < vectors.length; off += dim) {
    let sum = 0;
    for (let i = 0; i < dim; i++) sum += vectors[off + i]! ** 2;
    if (sum === 0) continue;
    const inv = 1 / Math.sqrt(sum);
    for (let i = 0; i < dim; i++) vectors[off + i]! *= inv;
  }
  return vectors;
}

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
