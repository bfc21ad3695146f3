import { dot } from "../search/dot.js";

/**
 * Database-side augmentation: every indexed vector becomes L2(w + Σ over its k nearest others of
 * max(0, w·wⱼ)·wⱼ), so a painting is found by what its neighbourhood looks like, not only by itself.
 * Queries are not augmented. `kth` keeps each row's k-th neighbour score so an append can tell which
 * existing rows a new one displaces (only those, and the new rows, are recomputed).
 */
export interface DbaResult {
  vectors: Float32Array;
  /** Score of each row's k-th nearest other row (−Infinity when it has fewer than k others). */
  kth: Float32Array;
}

/** Per-row sorted (desc) top-k lists in flat arrays; ties keep the lower ordinal first. */
class Neighbours {
  readonly scores: Float64Array;
  readonly ords: Int32Array;
  readonly sizes: Int32Array;
  constructor(
    rows: number,
    readonly k: number,
  ) {
    this.scores = new Float64Array(rows * k);
    this.ords = new Int32Array(rows * k);
    this.sizes = new Int32Array(rows);
  }
  offer(r: number, o: number, s: number): void {
    const k = this.k;
    const base = r * k;
    let size = this.sizes[r]!;
    if (size === k) {
      const last = this.scores[base + k - 1]!;
      if (s < last || (s === last && o > this.ords[base + k - 1]!)) return;
      size--;
    } else this.sizes[r] = size + 1;
    let i = size;
    while (i > 0) {
      const ps = this.scores[base + i - 1]!;
      if (ps > s || (ps === s && this.ords[base + i - 1]! < o)) break;
      this.scores[base + i] = ps;
      this.ords[base + i] = this.ords[base + i - 1]!;
      i--;
    }
    this.scores[base + i] = s;
    this.ords[base + i] = o;
  }
  kth(r: number): number {
    return this.sizes[r]! < this.k ? Number.NEGATIVE_INFINITY : this.scores[r * this.k + this.k - 1]!;
  }
  clear(r: number): void {
    this.sizes[r] = 0;
  }
}

function augmented(w: Float32Array, dim: number, r: number, nb: Neighbours, out: Float32Array): void {
  const acc = new Float64Array(dim);
  for (let j = 0; j < dim; j++) acc[j] = w[r * dim + j]!;
  for (let t = 0; t < nb.sizes[r]!; t++) {
    const s = nb.scores[r * nb.k + t]!;
    if (s <= 0) continue;
    const o = nb.ords[r * nb.k + t]! * dim;
    for (let j = 0; j < dim; j++) acc[j]! += s * w[o + j]!;
  }
  let ss = 0;
  for (let j = 0; j < dim; j++) ss += acc[j]! ** 2;
  const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  for (let j = 0; j < dim; j++) out[r * dim + j] = acc[j]! * inv;
}

/** DBA over all n rows of `w` (unit rows, n × dim): every pair scored once. */
export function dbaAll(w: Float32Array, n: number, dim: number, k: number): DbaResult {
  const nb = new Neighbours(n, k);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = dot(w, i * dim, w, j * dim, dim);
      nb.offer(i, j, s);
      nb.offer(j, i, s);
    }
  }
  const vectors = new Float32Array(n * dim);
  const kth = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    augmented(w, dim, r, nb, vectors);
    kth[r] = nb.kth(r);
  }
  return { vectors, kth };
}

/**
 * DBA after appending rows [base.count, n) to a DBA'd index: the new rows get their neighbours among
 * all n; an old row is recomputed only when a new row beats its stored k-th score, otherwise its stored
 * vector is kept. Gives the same vectors as dbaAll over the n rows (up to exact score ties).
 */
export function dbaAppend(
  w: Float32Array,
  n: number,
  dim: number,
  k: number,
  base: { count: number; vectors: Float32Array; kth: Float32Array },
): DbaResult & { changed: number } {
  const m0 = base.count;
  const nb = new Neighbours(n, k);
  const affected = new Uint8Array(m0);
  for (let j = m0; j < n; j++) {
    for (let i = 0; i < j; i++) {
      const s = dot(w, i * dim, w, j * dim, dim);
      nb.offer(j, i, s);
      if (i >= m0) nb.offer(i, j, s);
      else if (s >= base.kth[i]!) affected[i] = 1;
    }
  }
  const vectors = new Float32Array(n * dim);
  vectors.set(base.vectors.subarray(0, m0 * dim));
  const kth = new Float32Array(n);
  kth.set(base.kth.subarray(0, m0));
  let changed = 0;
  for (let i = 0; i < m0; i++) {
    if (!affected[i]) continue;
    changed++;
    nb.clear(i);
    for (let j = 0; j < n; j++) if (j !== i) nb.offer(i, j, dot(w, i * dim, w, j * dim, dim));
    augmented(w, dim, i, nb, vectors);
    kth[i] = nb.kth(i);
  }
  for (let r = m0; r < n; r++) {
    augmented(w, dim, r, nb, vectors);
    kth[r] = nb.kth(r);
  }
  return { vectors, kth, changed };
}
