import { floatToHalf, HALF_TO_FLOAT } from "./f16.js";

/**
 * Compressed copies of the index rows for the first pass of a scan. `errors[o]` is |x − x̂|, the exact
 * L2 distance between row o and its decoded code, which turns approximate scores into rigorous bounds.
 */
export type QuantizedVectors =
  | { kind: "int8"; dim: number; count: number; codes: Int8Array; scale: number; errors: Float32Array }
  | { kind: "f16"; dim: number; count: number; codes: Uint16Array; errors: Float32Array };

/**
 * Quantizes `count` rows. int8 uses one symmetric scale for the whole index (127 / the largest |component|):
 * rows are unit vectors, so one scale loses little, and integer dot products need no per-row factor.
 */
export function quantizeVectors(
  vectors: Float32Array,
  dim: number,
  count: number,
  kind: "int8" | "f16",
  scale?: number,
): QuantizedVectors {
  const errors = new Float32Array(count);
  if (kind === "f16") {
    const codes = new Uint16Array(count * dim);
    encodeRows(
      vectors,
      dim,
      0,
      count,
      (i, x) => {
        const h = floatToHalf(x);
        codes[i] = h;
        return HALF_TO_FLOAT[h]!;
      },
      errors,
    );
    return { kind, dim, count, codes, errors };
  }
  let s = scale;
  if (s === undefined) {
    let maxAbs = 0;
    for (let i = 0; i < count * dim; i++) maxAbs = Math.max(maxAbs, Math.abs(vectors[i]!));
    s = maxAbs > 0 ? 127 / maxAbs : 1;
  }
  const inv = 1 / s;
  const codes = new Int8Array(count * dim);
  encodeRows(
    vectors,
    dim,
    0,
    count,
    (i, x) => {
      const c = Math.max(-127, Math.min(127, Math.round(x * s)));
      codes[i] = c;
      return c * inv;
    },
    errors,
  );
  return { kind, dim, count, codes, scale: s, errors };
}

function encodeRows(
  vectors: Float32Array,
  dim: number,
  from: number,
  to: number,
  encode: (i: number, x: number) => number,
  errors: Float32Array,
): void {
  for (let o = from; o < to; o++) {
    let e2 = 0;
    for (let d = 0; d < dim; d++) {
      const i = o * dim + d;
      const x = vectors[i]!;
      const diff = x - encode(i, x);
      e2 += diff * diff;
    }
    errors[o - from] = Math.sqrt(e2);
  }
}

/** Codes for an appended index: old rows kept, new rows encoded with the same scale. */
export function extendQuantized(q: QuantizedVectors, vectors: Float32Array, count: number): QuantizedVectors {
  if (count <= q.count) return q;
  const tail = quantizeVectors(
    vectors.subarray(q.count * q.dim, count * q.dim),
    q.dim,
    count - q.count,
    q.kind,
    q.kind === "int8" ? q.scale : undefined,
  );
  const errors = new Float32Array(count);
  errors.set(q.errors);
  errors.set(tail.errors, q.count);
  if (q.kind === "int8" && tail.kind === "int8") {
    const codes = new Int8Array(count * q.dim);
    codes.set(q.codes);
    codes.set(tail.codes, q.count * q.dim);
    return { ...q, count, codes, errors };
  }
  const codes = new Uint16Array(count * q.dim);
  codes.set(q.codes);
  codes.set(tail.codes as Uint16Array, q.count * q.dim);
  return { kind: "f16", dim: q.dim, count, codes, errors };
}

export function quantizedBytes(q: QuantizedVectors): number {
  return q.codes.byteLength + q.errors.byteLength;
}
