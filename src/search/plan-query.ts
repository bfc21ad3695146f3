import type { EngineKind } from "./types.js";

export interface PlanInput {
  engine: EngineKind;
  /** Rows in the index. */
  count: number;
  /** Rows the filter admits (minus the excluded one). */
  matches: number;
  /** Hits wanted (already capped at matches). */
  n: number;
  /** auto scans when matches ≤ this; undefined = the cost model (scanIsCheaper). */
  exactThreshold?: number | undefined;
}

export type Plan = { kind: "none" } | { kind: "scan" } | { kind: "balltree" } | { kind: "graph"; k: number };

/**
 * Cost model for auto, in "rows scanned" units. Measured with bench/search.ts (100k × 256, Node 20):
 * a scan costs ~0.6 µs per row; a graph search ~1 ms plus ~5–10 µs per requested neighbour, and it must
 * request n × count/matches neighbours to see n matching ones. So the scan wins below a few thousand
 * matching rows at 100k and below ~2% of the index at 1M; the graph wins above.
 */
const GRAPH_BASE_ROWS = 2000;
const GRAPH_ROWS_PER_K = 12;

/** auto's choice without an explicit threshold: scan when it is estimated cheaper than the graph. */
export function scanIsCheaper(n: number, count: number, matches: number): boolean {
  return matches <= GRAPH_BASE_ROWS + GRAPH_ROWS_PER_K * graphK(n, count, matches);
}

/** How much wider than n a graph search starts, so that after post-filtering n usually remain. */
const OVERSAMPLE = 1.5;
const MIN_GRAPH_K = 16;

/** Picks the strategy for one query. Pure: the engine supplies the counts. */
export function planQuery(input: PlanInput): Plan {
  const { engine, count, matches, n } = input;
  if (n === 0 || matches === 0) return { kind: "none" };
  if (engine === "exact") return { kind: "scan" };
  if (engine === "balltree") return { kind: "balltree" };
  if (engine === "auto") {
    const t = input.exactThreshold;
    if (t !== undefined ? matches <= t : scanIsCheaper(n, count, matches)) return { kind: "scan" };
  }
  return { kind: "graph", k: graphK(n, count, matches) };
}

/** Initial k for a post-filtered graph search: n scaled by the inverse selectivity, plus slack. */
export function graphK(n: number, count: number, matches: number): number {
  return Math.min(count, Math.ceil((n * count * OVERSAMPLE) / matches) + MIN_GRAPH_K);
}
