import { MosaicError, throwIfAborted, UsageError } from "../errors.js";
import { dot, dot4 } from "./dot.js";
import { TopKHeaps } from "./top-k.js";
import type { VectorIndex } from "../vector-index/types.js";

export interface EvalOptions {
  /** Facet name or meta column whose value defines a correct neighbour. */
  label: string;
  /** Neighbours per item; clamped to count-1. */
  k: number;
  /** Applied to every label before comparing (e.g. lower-case, first word); "" means unlabelled. */
  labelTransform?: (label: string) => string;
  /** Checked between blocks of work. */
  signal?: AbortSignal;
  /** Called after each block of rows with (rows done, total rows). */
  onProgress?: (done: number, total: number) => void;
}

export interface EvalResult {
  label: string;
  /** The k actually used: min(requested k, count-1). */
  k: number;
  /** Mean over evaluated items of (same-label items among its k nearest others) / k. */
  precision: number;
  /** The expected precision of a random ranking: mean over evaluated items of (count(label)-1)/(N-1). */
  randomBaseline: number;
  evaluated: number;
  /** Items without a (non-empty) label: not evaluated, though they still count as neighbours. */
  skipped: number;
  /** precision@k per label value (the mean over its artworks), with its random-ranking baseline. */
  perLabel: LabelPrecision[];
}

export interface LabelPrecision {
  value: string;
  count: number;
  precision: number;
  /** (count − 1) / (N − 1): a random ranking's expected precision for this label. */
  randomBaseline: number;
}

/** ~128 KiB of vectors per block: two blocks stay in L2 while every pair between them is scored. */
const BLOCK_FLOATS = 32 * 1024;

/**
 * Leave-one-out precision@k. Every pair is scored once (the dot product is symmetric) and offered to
 * both items' top-k heaps; rows are processed in cache-sized blocks so the O(N²·d) work is bound by
 * arithmetic, not memory bandwidth. Neighbours rank as in searchExact (score desc, id asc), so the
 * result equals running searchExact for every item with excludeOrdinal set to itself.
 */
export function evaluatePrecisionAtK(index: VectorIndex, options: EvalOptions): EvalResult {
  const { label, signal, onProgress } = options;
  const transform = options.labelTransform ?? ((s: string) => s);
  const { count: n, dim, vectors, records } = index;
  if (!Number.isInteger(options.k) || options.k < 1) {
    throw new UsageError(`Invalid k ${options.k}`, { hint: "k must be a positive integer." });
  }
  assertLabelExists(index, label);
  if (n < 2)
    throw new MosaicError(`Cannot evaluate an index of ${n} item(s)`, {
      hint: "Index at least two artworks.",
    });
  const k = Math.min(options.k, n - 1);

  const labels: string[] = new Array(n);
  const labelCounts = new Map<string, number>();
  const heapOf = new Int32Array(n).fill(-1);
  let evaluated = 0;
  for (let o = 0; o < n; o++) {
    const r = records[o]!;
    const raw = ownValue(r.facets, label) ?? ownValue(r.meta, label) ?? "";
    const value = raw === "" ? "" : transform(raw);
    labels[o] = value;
    if (value === "") continue;
    labelCounts.set(value, (labelCounts.get(value) ?? 0) + 1);
    heapOf[o] = evaluated++;
  }
  if (evaluated === 0) {
    throw new MosaicError(`No artwork in the index has a value for "${label}"`, {
      hint: "Pick a label column that is filled in for at least some artworks.",
    });
  }

  const heaps = new TopKHeaps(evaluated, k, (o) => records[o]!.id);
  const out = new Float64Array(4);
  /** Both items of a pair get each other as a candidate neighbour, if they are being evaluated. */
  const offerPair = (hi: number, i: number, j: number, score: number): void => {
    if (hi >= 0) heaps.push(hi, j, score);
    const hj = heapOf[j]!;
    if (hj >= 0) heaps.push(hj, i, score);
  };
  const block = Math.max(1, Math.floor(BLOCK_FLOATS / dim));
  for (let ib = 0; ib < n; ib += block) {
    throwIfAborted(signal);
    const iEnd = Math.min(ib + block, n);
    for (let jb = ib; jb < n; jb += block) {
      const jEnd = Math.min(jb + block, n);
      for (let i = ib; i < iEnd; i++) {
        const hi = heapOf[i]!;
        const iOff = i * dim;
        let j = jb === ib ? i + 1 : jb;
        // Four rows per pass over row i (dot4); pairs of two unlabelled items are scored anyway,
        // which is cheaper than breaking up the groups.
        for (; j + 4 <= jEnd; j += 4) {
          const jOff = j * dim;
          dot4(vectors, iOff, vectors, jOff, jOff + dim, jOff + 2 * dim, jOff + 3 * dim, dim, out);
          for (let t = 0; t < 4; t++) offerPair(hi, i, j + t, out[t]!);
        }
        for (; j < jEnd; j++) offerPair(hi, i, j, dot(vectors, iOff, vectors, j * dim, dim));
      }
    }
    onProgress?.(iEnd, n);
  }

  let precisionSum = 0;
  let baselineSum = 0;
  const perLabelSum = new Map<string, number>();
  for (let o = 0; o < n; o++) {
    const h = heapOf[o]!;
    if (h < 0) continue;
    const mine = labels[o]!;
    let same = 0;
    const base = h * k;
    for (let s = 0; s < heaps.sizes[h]!; s++) if (labels[heaps.ordinals[base + s]!] === mine) same++;
    precisionSum += same / k;
    perLabelSum.set(mine, (perLabelSum.get(mine) ?? 0) + same / k);
    baselineSum += (labelCounts.get(mine)! - 1) / (n - 1);
  }
  return {
    label,
    k,
    precision: precisionSum / evaluated,
    randomBaseline: baselineSum / evaluated,
    evaluated,
    skipped: n - evaluated,
    perLabel: [...labelCounts].map(([value, count]) => ({
      value,
      count,
      precision: perLabelSum.get(value)! / count,
      randomBaseline: (count - 1) / (n - 1),
    })),
  };
}

/** A typo'd label would otherwise "evaluate" as 0 items; say what columns exist instead. */
function assertLabelExists(index: VectorIndex, label: string): void {
  if (index.manifest.facets.includes(label)) return;
  const seen = new Set<string>(index.manifest.facets);
  for (const r of index.records) {
    if (Object.hasOwn(r.facets, label) || Object.hasOwn(r.meta, label)) return;
    for (const key of Object.keys(r.meta)) seen.add(key);
    for (const key of Object.keys(r.facets)) seen.add(key);
  }
  throw new UsageError(`Unknown label "${label}": no facet or metadata column has that name`, {
    hint: `Available: ${[...seen].sort().join(", ") || "(none)"}.`,
  });
}

/** Own keys only: a label named "constructor" must not find Object.prototype's. */
function ownValue(map: Record<string, string>, key: string): string | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}
