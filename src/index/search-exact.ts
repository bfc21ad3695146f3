import { UsageError } from "../errors.js";
import { dot } from "./dot.js";
import { filterCandidates } from "./filter.js";
import { firstNonFinite, l2normalize } from "./normalize.js";
import { TopKHeaps } from "./top-k.js";
import type { Filter, SearchHit, VectorIndex } from "./types.js";

export interface SearchOptions {
  /** How many hits to return; the result has min(n, matches) hits. */
  n: number;
  filter?: Filter | undefined;
  /** Leave this ordinal out (query-by-example: don't return the query item itself). */
  excludeOrdinal?: number | undefined;
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
  const candidates = filterCandidates(index, options.filter);
  const skip = excludeOrdinal ?? -1;
  const matches = countEligible(index.count, candidates, skip);
  if (n === 0 || matches === 0) return { hits: [], matches };
  const q = l2normalize(query);
  const heap = new TopKHeaps(1, n, (o) => records[o]!.id);
  if (candidates === undefined) {
    for (let o = 0; o < index.count; o++) {
      if (o !== skip) heap.push(0, o, dot(q, 0, vectors, o * dim, dim));
    }
  } else {
    for (let c = 0; c < candidates.length; c++) {
      const o = candidates[c]!;
      if (o !== skip) heap.push(0, o, dot(q, 0, vectors, o * dim, dim));
    }
  }
  const hits = heap.sorted(0).map(({ ordinal, score }) => ({ ordinal, id: records[ordinal]!.id, score }));
  return { hits, matches };
}

function countEligible(count: number, candidates: Uint32Array | undefined, skip: number): number {
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
