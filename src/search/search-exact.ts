import { UsageError } from "../errors.js";
import { dot, dot4 } from "./dot.js";
import { filterCandidates } from "./filter-candidates.js";
import { firstNonFinite, toUnitFloat32 } from "../vector-index/normalize.js";
import { TopKHeaps } from "./top-k.js";
import type { Filter, SearchHit, VectorIndex } from "../vector-index/types.js";

export interface SearchOptions {
  /** How many hits to return; the result has min(n, matches) hits. */
  n: number;
  filter?: Filter | undefined;
  /** Leave this ordinal out (query-by-example: don't return the query item itself). */
  excludeOrdinal?: number | undefined;
  /** The filter's ordinals, when the caller has already computed them (the engine's planner has). */
  candidates?: Uint32Array | undefined;
}

/**
 * Exact maximum-inner-product search over the records the filter admits. The query is L2-normalized
 * here (callers need not), so scores are cosine similarities. Results are sorted by score descending,
 * ties broken by id ascending, so the output is deterministic.
 */
export function searchExact(
  index: VectorIndex,
  query: ArrayLike<number>,
  options: SearchOptions,
): SearchHit[] {
  return searchExactWithMatches(index, query, options).hits;
}

/**
 * searchExact plus `matches`: how many records were eligible (admitted by the filter, minus the
 * excluded ordinal), so callers can say "10 of 312 matching artworks". hits.length = min(n, matches).
 */
export function searchExactWithMatches(
  index: VectorIndex,
  query: ArrayLike<number>,
  options: SearchOptions,
): { hits: SearchHit[]; matches: number } {
  const { dim, vectors, records } = index;
  const { n, excludeOrdinal } = options;
  if (!Number.isInteger(n) || n < 0) {
    throw new UsageError(`Invalid result count ${n}`, { hint: "n must be a non-negative integer." });
  }
  if (query.length !== dim) {
    throw new UsageError(`Query vector has ${query.length} dimensions; the index has ${dim}`, {
      hint: `Embed the query with the index's model (${index.manifest.model.id}).`,
    });
  }
  if (firstNonFinite(query) >= 0) {
    throw new UsageError("Query vector contains NaN or Infinity", {
      hint: "Check the query image and model.",
    });
  }
  const candidates = "candidates" in options ? options.candidates : filterCandidates(index, options.filter);
  const skip = excludeOrdinal ?? -1;
  const matches = countEligible(index.count, candidates, skip);
  if (n === 0 || matches === 0) return { hits: [], matches };
  const q = toUnitFloat32(query);
  const heap = new TopKHeaps(1, n, (o) => records[o]!.id);
  // Eligible ordinals are scored four at a time (dot4), the remainder one by one.
  const group = new Int32Array(4);
  const out = new Float64Array(4);
  let g = 0;
  const offer = (o: number): void => {
    group[g++] = o;
    if (g < 4) return;
    g = 0;
    const o0 = group[0]!;
    const o1 = group[1]!;
    const o2 = group[2]!;
    const o3 = group[3]!;
    dot4(q, 0, vectors, o0 * dim, o1 * dim, o2 * dim, o3 * dim, dim, out);
    heap.push(0, o0, out[0]!);
    heap.push(0, o1, out[1]!);
    heap.push(0, o2, out[2]!);
    heap.push(0, o3, out[3]!);
  };
  if (candidates === undefined) {
    for (let o = 0; o < index.count; o++) if (o !== skip) offer(o);
  } else {
    for (let c = 0; c < candidates.length; c++) {
      const o = candidates[c]!;
      if (o !== skip) offer(o);
    }
  }
  for (let r = 0; r < g; r++) {
    const o = group[r]!;
    heap.push(0, o, dot(q, 0, vectors, o * dim, dim));
  }
  const hits = heap.sorted(0).map(({ ordinal, score }) => ({ ordinal, id: records[ordinal]!.id, score }));
  return { hits, matches };
}

/** Records a search may return: the filter's candidates (or all), minus the excluded ordinal. */
export function countEligible(count: number, candidates: Uint32Array | undefined, skip: number): number {
  if (candidates === undefined) return skip >= 0 && skip < count ? count - 1 : count;
  // Candidates are sorted, so a binary search finds the excluded ordinal.
  let lo = 0;
  let hi = candidates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (candidates[mid]! < skip) lo = mid + 1;
    else hi = mid;
  }
  return candidates[lo] === skip ? candidates.length - 1 : candidates.length;
}
