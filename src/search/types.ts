import type { Filter, SearchHit, VectorIndex } from "../vector-index/types.js";

/** Which search strategy answers a query; "auto" lets the planner pick per query. */
export type EngineKind = "auto" | "exact" | "balltree" | "hnsw";

/** How vectors are stored for the first pass of a scan (results are always re-scored in float32). */
export type Quantization = "none" | "f16" | "int8";

export interface EngineSearchOptions {
  /** How many hits to return; the result has min(n, matches) hits. */
  n: number;
  filter?: Filter | undefined;
  /** Leave this ordinal out (query-by-example). */
  excludeOrdinal?: number | undefined;
}

export interface EngineResult {
  /** Sorted by score descending, ties by id ascending — the same shape as searchExact. */
  hits: SearchHit[];
  /** Records the filter admits, minus the excluded ordinal. */
  matches: number;
  /** How the query was answered, e.g. "exact-scan(int8) 312/100000" or "hnsw(k=40)"; for logs and benches. */
  plan: string;
}

export interface SearchEngine {
  search(query: ArrayLike<number>, options: EngineSearchOptions): EngineResult;
  /**
   * Switches to `next`, an append of the current index (its first `count` rows unchanged, as
   * appendToIndex guarantees): the graph and quantized codes take only the new rows; the ball tree is rebuilt.
   */
  add(next: VectorIndex): void;
  /** Memory held beyond the index itself, by structure. */
  memory(): Record<string, number>;
  close(): void;
}
