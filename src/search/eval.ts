import { MosaicError, throwIfAborted, UsageError } from "../errors.js";
import { dot, dot4 } from "./dot.js";
import { prng } from "../prng.js";
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
  /**
   * Facet or metadata column: a neighbour sharing the query's value (e.g. the same artist) is not
   * counted, so "same style, different hand" is measured rather than "same artist".
   */
  excludeSame?: string | undefined;
}

export interface LabelPrecision {
  value: string;
  count: number;
  precision: number;
  /** (count − 1) / (N − 1): a random ranking's expected precision for this label. */
  randomBaseline: number;
}

/** Medians of the score distribution: what a related vs an unrelated pair scores. */
export interface ScoreSummary {
  /** Median over items of the best other item's score. */
  rank1: number;
  /** Median over items of the score at rank `deepRank` (100, or count−1 when smaller). */
  deep: number;
  deepRank: number;
  /** Median over random pairs of distinct items. */
  random: number;
  /** rank1 − random: how far a best match stands above an arbitrary pair. */
  spread: number;
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
  scores: ScoreSummary;
  /** The facet whose shared values were excluded from the neighbours, when asked for. */
  excludeSame?: string;
}

/** Depth of the "rank-100" score in the distribution summary. */
const DEEP_RANK = 100;
/** Random pairs sampled for the unrelated-pair median. */
const RANDOM_PAIRS = 20_000;

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
  if (options.excludeSame !== undefined) assertLabelExists(index, options.excludeSame);
  if (n < 2)
    throw new MosaicError(`Cannot evaluate an index of ${n} item(s)`, {
      hint: "Index at least two artworks.",
    });
  const k = Math.min(options.k, n - 1);
  // The heaps keep enough neighbours for the rank-100 score as well as for precision@k.
  const depth = Math.max(k, Math.min(DEEP_RANK, n - 1));
  const exclude = options.excludeSame;
  const groups: string[] | undefined = exclude
    ? records.map((r) => ownValue(r.facets, exclude) ?? ownValue(r.meta, exclude) ?? "")
    : undefined;

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

  const heaps = new TopKHeaps(evaluated, depth, (o) => records[o]!.id);
  const deepHeaps = depth > k && groups ? new TopKHeaps(evaluated, depth, (o) => records[o]!.id) : undefined;
  const out = new Float64Array(4);
  /** Both items of a pair get each other as a candidate neighbour, if they are being evaluated. */
  const offerPair = (hi: number, i: number, j: number, score: number): void => {
    const hj = heapOf[j]!;
    if (deepHeaps) {
      // The score distribution describes the index as it is, exclusions aside.
      if (hi >= 0) deepHeaps.push(hi, j, score);
      if (hj >= 0) deepHeaps.push(hj, i, score);
    }
    if (groups && groups[i] !== "" && groups[i] === groups[j]) return;
    if (hi >= 0) heaps.push(hi, j, score);
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
  const byLabel = new Map<string, number>();
  const rank1: number[] = [];
  const deep: number[] = [];
  const deepRank = Math.min(DEEP_RANK, n - 1);
  for (let o = 0; o < n; o++) {
    const h = heapOf[o]!;
    if (h < 0) continue;
    const mine = labels[o]!;
    let same = 0;
    const ranked = heaps.sorted(h);
    for (const hit of ranked.slice(0, k)) if (labels[hit.ordinal] === mine) same++;
    precisionSum += same / k;
    byLabel.set(mine, (byLabel.get(mine) ?? 0) + same / k);
    baselineSum += (labelCounts.get(mine)! - 1) / (n - 1);
    const all = deepHeaps ? deepHeaps.sorted(h) : ranked;
    if (all[0]) rank1.push(all[0].score);
    const at = all[deepRank - 1];
    if (at) deep.push(at.score);
  }
  const random = median(randomPairScores(index));
  const r1 = median(rank1);
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
      precision: (byLabel.get(value) ?? 0) / count,
      randomBaseline: (count - 1) / (n - 1),
    })),
    scores: { rank1: r1, deep: median(deep), deepRank, random, spread: r1 - random },
    ...(exclude !== undefined ? { excludeSame: exclude } : {}),
  };
}

/** Scores of a fixed sample of distinct pairs (the same pairs for the same index size). */
function randomPairScores(index: VectorIndex): number[] {
  const { count: n, dim, vectors } = index;
  const rand = prng(20_261_206);
  const out: number[] = [];
  for (let t = 0; t < RANDOM_PAIRS && n > 1; t++) {
    const i = Math.floor(rand() * n);
    let j = Math.floor(rand() * (n - 1));
    if (j >= i) j++;
    out.push(dot(vectors, i * dim, vectors, j * dim, dim));
  }
  return out;
}

function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = Float64Array.from(xs).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
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
