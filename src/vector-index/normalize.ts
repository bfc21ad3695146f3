/**
 * Returns a unit-length Float32Array copy of `vec`. A zero vector stays zero (it has no direction;
 * it scores 0 against everything) rather than becoming NaN. Callers check finiteness first.
 */
export function l2normalize(vec: ArrayLike<number>): Float32Array {
  const out = new Float32Array(vec.length);
  let sum = 0;
  for (let i = 0; i < vec.length; i++) {
    const v = vec[i]!;
    sum += v * v;
  }
  if (sum === 0) return out;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < vec.length; i++) out[i] = vec[i]! * inv;
  return out;
}

/** L2-normalizes each of the n rows of a row-major [n, dim] matrix in place (zero rows stay zero). */
export function l2normalizeRows(vectors: Float32Array, dim: number): Float32Array {
  for (let off = 0; off < vectors.length; off += dim)
    vectors.set(l2normalize(vectors.subarray(off, off + dim)), off);
  return vectors;
}

/** Index of the first NaN or ±Infinity in `vec`, or -1 when every value is finite. */
export function firstNonFinite(vec: ArrayLike<number>): number {
  for (let i = 0; i < vec.length; i++) if (!Number.isFinite(vec[i]!)) return i;
  return -1;
}

/** float32 rounding leaves a stored unit vector's squared norm within ~1e-7 of 1. */
const UNIT_TOLERANCE = 1e-6;

/**
 * Like l2normalize, but a vector that is already unit-length is copied unchanged. That makes writing
 * idempotent: re-writing stored vectors (append, merge) reproduces them bit for bit.
 */
export function toUnitFloat32(vec: ArrayLike<number>): Float32Array {
  let sum = 0;
  for (let i = 0; i < vec.length; i++) {
    const v = vec[i]!;
    sum += v * v;
  }
  if (Math.abs(sum - 1) <= UNIT_TOLERANCE) return Float32Array.from(vec);
  return l2normalize(vec);
}
