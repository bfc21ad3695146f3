import { dot } from "./dot.js";
import type { TopKHeaps } from "./top-k.js";
import { HALF_TO_FLOAT } from "./f16.js";
import type { QuantizedVectors } from "./quantized-vectors.js";

/** The rows a scan visits: every ordinal below `count`, or the sorted candidates; `skip` is left out. */
export interface ScanScope {
  count: number;
  candidates: Uint32Array | undefined;
  skip: number;
}

/** Float rounding in the approximate and exact sums is ~1e-7; the slack keeps bounds safe. */
const ROUNDING_SLACK = 1e-5;

/**
 * Two-pass scan over quantized codes that returns exactly what scanExact would. Pass 1 scores every row
 * approximately and bounds its true score within ±err (err from |x − x̂| and |q − q̂| by Cauchy–Schwarz);
 * the n-th best lower bound A is a floor for the n-th best true score. Pass 2 re-scores in float32 only
 * rows whose upper bound reaches A — no row that could make the top n is skipped. Re-scoring uses
 * index/dot, so scores are bit-identical to searchExact's and ties resolve the same way.
 * Returns how many rows were re-scored.
 */
export function scanQuantized(
  codes: QuantizedVectors,
  vectors: Float32Array,
  q: Float32Array,
  scope: ScanScope,
  heap: TopKHeaps,
  scratch: { upper: Float64Array },
): number {
  const { dim } = codes;
  const { candidates, skip } = scope;
  const m = candidates === undefined ? scope.count : candidates.length;
  const n = heap.k;
  if (scratch.upper.length < m) scratch.upper = new Float64Array(Math.max(m, scratch.upper.length * 2));
  const upper = scratch.upper;
  let qNorm = 0;
  for (let d = 0; d < dim; d++) qNorm += q[d]! * q[d]!;
  qNorm = Math.sqrt(qNorm);
  const lows = new MinHeap(n);
  const errors = codes.errors;
  if (codes.kind === "int8") {
    const { qc, inv, qErr } = quantizeQuery(q);
    const scale = inv / codes.scale;
    const c8 = codes.codes;
    for (let c = 0; c < m; c++) {
      const o = candidates === undefined ? c : candidates[c]!;
      if (o === skip) {
        upper[c] = Number.NEGATIVE_INFINITY;
        continue;
      }
      const approx = dotInt8(qc, c8, o * dim, dim) * scale;
      const ex = errors[o]!;
      const err = qNorm * ex + qErr * (1 + ex) + ROUNDING_SLACK;
      upper[c] = approx + err;
      lows.offer(approx - err);
    }
  } else {
    const h = codes.codes;
    for (let c = 0; c < m; c++) {
      const o = candidates === undefined ? c : candidates[c]!;
      if (o === skip) {
        upper[c] = Number.NEGATIVE_INFINITY;
        continue;
      }
      const approx = dotHalf(q, h, o * dim, dim);
      const err = qNorm * errors[o]! + ROUNDING_SLACK;
      upper[c] = approx + err;
      lows.offer(approx - err);
    }
  }
  const floor = lows.full() ? lows.min() : Number.NEGATIVE_INFINITY;
  let rescored = 0;
  for (let c = 0; c < m; c++) {
    if (upper[c]! < floor || upper[c] === Number.NEGATIVE_INFINITY) continue;
    const o = candidates === undefined ? c : candidates[c]!;
    heap.push(0, o, dot(q, 0, vectors, o * dim, dim));
    rescored++;
  }
  return rescored;
}

function quantizeQuery(q: Float32Array): { qc: Int8Array; inv: number; qErr: number } {
  let maxAbs = 0;
  for (let d = 0; d < q.length; d++) maxAbs = Math.max(maxAbs, Math.abs(q[d]!));
  const s = maxAbs > 0 ? 127 / maxAbs : 1;
  const qc = new Int8Array(q.length);
  let e2 = 0;
  for (let d = 0; d < q.length; d++) {
    const c = Math.round(q[d]! * s);
    qc[d] = c;
    const diff = q[d]! - c / s;
    e2 += diff * diff;
  }
  return { qc, inv: 1 / s, qErr: Math.sqrt(e2) };
}

/** Integer multiply-adds: V8 keeps these in int32 registers, ~2× faster than the float32 loop. */
function dotInt8(a: Int8Array, b: Int8Array, off: number, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const end4 = dim - (dim & 3);
  let i = 0;
  for (; i < end4; i += 4) {
    s0 = (s0 + a[i]! * b[off + i]!) | 0;
    s1 = (s1 + a[i + 1]! * b[off + i + 1]!) | 0;
    s2 = (s2 + a[i + 2]! * b[off + i + 2]!) | 0;
    s3 = (s3 + a[i + 3]! * b[off + i + 3]!) | 0;
  }
  for (; i < dim; i++) s0 = (s0 + a[i]! * b[off + i]!) | 0;
  return s0 + s1 + s2 + s3;
}

function dotHalf(q: Float32Array, h: Uint16Array, off: number, dim: number): number {
  const lut = HALF_TO_FLOAT;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const end4 = dim - (dim & 3);
  let i = 0;
  for (; i < end4; i += 4) {
    s0 += q[i]! * lut[h[off + i]!]!;
    s1 += q[i + 1]! * lut[h[off + i + 1]!]!;
    s2 += q[i + 2]! * lut[h[off + i + 2]!]!;
    s3 += q[i + 3]! * lut[h[off + i + 3]!]!;
  }
  for (; i < dim; i++) s0 += q[i]! * lut[h[off + i]!]!;
  return s0 + s1 + s2 + s3;
}

/** Keeps the k largest numbers offered; min() is the k-th largest once full. */
class MinHeap {
  private readonly a: Float64Array;
  private size = 0;
  constructor(private readonly k: number) {
    this.a = new Float64Array(k);
  }
  full(): boolean {
    return this.size === this.k && this.k > 0;
  }
  min(): number {
    return this.a[0]!;
  }
  offer(x: number): void {
    const a = this.a;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (a[p]! <= x) break;
        a[i] = a[p]!;
        i = p;
      }
      a[i] = x;
      return;
    }
    if (this.k === 0 || x <= a[0]!) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.k) break;
      const r = l + 1;
      const c = r < this.k && a[r]! < a[l]! ? r : l;
      if (a[c]! >= x) break;
      a[i] = a[c]!;
      i = c;
    }
    a[i] = x;
  }
}
