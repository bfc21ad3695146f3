import type { VectorIndex } from "../vector-index/types.js";
import { createSearchEngine } from "./create-search-engine.js";
import type { EngineKind, SearchEngine } from "./types.js";

/** Below this many vectors a scan is always cheapest, so no graph is built or loaded up front. */
export const GRAPH_MIN_COUNT = 5_000;

/**
 * The engine a long-lived reader (serve) or a one-off query uses. For big indexes the HNSW graph is built
 * (or loaded from beside the index) now, before the first request, rather than inside one. `onNotice`
 * hears about damaged caches (graph, ball tree) that are being rebuilt.
 */
export function openEngine(
  index: VectorIndex,
  indexDir: string,
  engine: EngineKind,
  onNotice?: (text: string) => void,
): SearchEngine {
  const search = createSearchEngine(index, { engine, indexDir, onNotice });
  if (index.count >= GRAPH_MIN_COUNT && (engine === "auto" || engine === "hnsw")) {
    search.search(index.vectors.subarray(0, index.dim), { n: 1 });
  }
  return search;
}
