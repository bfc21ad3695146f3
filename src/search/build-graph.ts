import { loadIndex } from "../vector-index/load-index.js";
import { openGraph } from "./graph-store.js";
import { type GraphOptions, resolveGraphOptions } from "./hnsw-graph.js";

export interface BuildGraphResult {
  /** "built", "loaded" (already current) or "extended +N" (records appended since). */
  how: string;
  count: number;
  /** Size of `<indexDir>/hnsw.usearch`. */
  bytes: number;
  ms: number;
}

/**
 * Builds (or brings up to date) the HNSW graph cached in `indexDir`, so the first broad query does not
 * pay for it. Pass the same graph options the engine will use, or the engine rebuilds.
 */
export async function buildGraph(
  indexDir: string,
  options: { graph?: GraphOptions; now?: () => number } = {},
): Promise<BuildGraphResult> {
  const now = options.now ?? (() => performance.now());
  const index = await loadIndex(indexDir);
  const start = now();
  const opened = openGraph(index, indexDir, resolveGraphOptions(options.graph));
  return { how: opened.how, count: index.count, bytes: opened.bytes, ms: now() - start };
}
