import type { EngineKind } from "./types.js";

export interface PlanInput {
  engine: EngineKind;
  /** Rows in the index. */
  count: number;
  /** Rows the filter admits (minus the excluded one). */
  matches: number;
  /** Hits wanted (already capped at matches). */
  n: number;
  /** auto scans when matches ≤ this. */
  exactThreshold: number;
}

export type Plan = { kind: "none" } | { kind: "scan" } | { kind: "balltree" } | { kind: "graph"; k: number };

/**
 * Default auto threshold. A scan costs matches × dim; a graph search costs roughly its beam × links × dim
 * whatever the filter, but must be oversampled by count/matches to find n matching rows. Below a few
 * percent of the index (or ~16k rows) the scan is as fast and exact, so auto scans there.
 */
export function defaultExactThreshold(count: number): number {
  return Math.max(16_384, Math.ceil(count * 0.03));
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
  if (engine === "auto" && matches <= input.exactThreshold) return { kind: "scan" };
  return { kind: "graph", k: graphK(n, count, matches) };
}

/** Initial k for a post-filtered graph search: n scaled by the inverse selectivity, plus slack. */
export function graphK(n: number, count: number, matches: number): number {
  return Math.min(count, Math.ceil((n * count * OVERSAMPLE) / matches) + MIN_GRAPH_K);
}
