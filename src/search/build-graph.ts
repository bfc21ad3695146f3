import { loadIndex } from "../vector-index/load-index.js";
import { openGraph, subgraphParts } from "./graph-store.js";
import { type GraphOptions, resolveGraphOptions } from "./hnsw-graph.js";

export interface BuildGraphResult {
  /** "built", "loaded" (already current) or "extended +N" (records appended since). */
  how: string;
  count: number;
  /** Size of `<indexDir>/hnsw.usearch` plus the sub-graphs'. */
  bytes: number;
  /** Sub-graphs of large facet values ("field=value"), built or brought up to date too. */
  subgraphs: string[];
  ms: number;
}

/**
 * Builds (or brings up to date) the HNSW graph cached in `indexDir`, and the sub-graphs of its large
 * facet values, so the first broad query does not pay for them. Pass the same graph options the engine
 * will use, or the engine rebuilds.
 */
export async function buildGraph(
  indexDir: string,
  options: { graph?: GraphOptions; now?: () => number } = {},
): Promise<BuildGraphResult> {
  const now = options.now ?? (() => performance.now());
  const index = await loadIndex(indexDir);
  const start = now();
  const resolved = resolveGraphOptions(options.graph, index.count);
  const opened = openGraph(index, indexDir, resolved);
  let bytes = opened.bytes;
  const subgraphs: string[] = [];
  for (const part of subgraphParts(index, resolved)) {
    const rows = index.postings.get(part.field)?.get(part.value)?.length ?? 0;
    bytes += openGraph(index, indexDir, resolveGraphOptions(options.graph, rows), undefined, part).bytes;
    subgraphs.push(`${part.field}=${part.value}`);
  }
  return { how: opened.how, count: index.count, bytes, subgraphs, ms: now() - start };
}
