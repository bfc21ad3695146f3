import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { VECTORS_FILE } from "../index/format.js";
import type { VectorIndex } from "../index/types.js";
import { HnswGraph, type ResolvedGraphOptions } from "./hnsw-graph.js";

export const GRAPH_FILE = "hnsw.usearch";
export const GRAPH_META_FILE = "hnsw.json";

/** hnsw.json: what the graph was built from, so a stale graph is extended or rebuilt, never trusted. */
interface GraphMeta {
  format: "mosaic-hnsw";
  version: 1;
  dim: number;
  /** Rows covered: ordinals [0, count). */
  count: number;
  /** sha256 of those rows' float32 bytes (equal to the manifest's vectors.f32 sha when count is the index's). */
  vectorsSha256: string;
  options: ResolvedGraphOptions;
  bytes: number;
}

export interface OpenedGraph {
  graph: HnswGraph;
  /** What happened: "loaded", "extended +N", or "built". */
  how: string;
  /** Bytes of the saved graph file (≈ its memory). */
  bytes: number;
}

/**
 * The graph for `index`, cached as `<dir>/hnsw.usearch` + `hnsw.json`. A cached graph is reused when it
 * covers exactly this index; when it covers a prefix (records appended since), only the new rows are
 * inserted; otherwise it is rebuilt. The graph file is written to a temp name and renamed, and the
 * sidecar last, so a crash never leaves a sidecar vouching for a partial graph.
 */
export function openGraph(
  index: VectorIndex,
  dir: string | undefined,
  options: ResolvedGraphOptions,
): OpenedGraph {
  const cached = dir === undefined ? undefined : readMeta(dir);
  if (dir !== undefined && cached && sameOptions(cached, index, options) && cached.count <= index.count) {
    const exact =
      cached.count === index.count && cached.vectorsSha256 === index.manifest.files[VECTORS_FILE]?.sha256;
    if (exact || cached.vectorsSha256 === prefixSha(index, cached.count)) {
      const graph = HnswGraph.load(join(dir, GRAPH_FILE), index.dim, options);
      if (graph.size === cached.count) {
        if (exact || cached.count === index.count) return { graph, how: "loaded", bytes: cached.bytes };
        graph.addRows(index.vectors, cached.count, index.count);
        return {
          graph,
          how: `extended +${index.count - cached.count}`,
          bytes: saveGraph(graph, index, dir, options),
        };
      }
    }
  }
  const graph = HnswGraph.create(index.dim, options);
  graph.addRows(index.vectors, 0, index.count);
  const bytes = dir === undefined ? estimateBytes(index, options) : saveGraph(graph, index, dir, options);
  return { graph, how: "built", bytes };
}

/** Inserts rows [graph.size, index.count) and re-saves when the graph is cached on disk. */
export function extendGraph(graph: HnswGraph, index: VectorIndex, dir: string | undefined): number {
  graph.addRows(index.vectors, graph.size, index.count);
  return dir === undefined
    ? estimateBytes(index, graph.options)
    : saveGraph(graph, index, dir, graph.options);
}

function saveGraph(graph: HnswGraph, index: VectorIndex, dir: string, options: ResolvedGraphOptions): number {
  const path = join(dir, GRAPH_FILE);
  const tmp = `${path}.tmp-${randomBytes(4).toString("hex")}`;
  const metaPath = join(dir, GRAPH_META_FILE);
  if (existsSync(metaPath)) unlinkSync(metaPath);
  graph.save(tmp);
  renameSync(tmp, path);
  const bytes = statSync(path).size;
  const meta: GraphMeta = {
    format: "mosaic-hnsw",
    version: 1,
    dim: index.dim,
    count: graph.size,
    vectorsSha256:
      graph.size === index.count
        ? (index.manifest.files[VECTORS_FILE]?.sha256 ?? prefixSha(index, graph.size))
        : prefixSha(index, graph.size),
    options,
    bytes,
  };
  writeFileSync(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  return bytes;
}

function readMeta(dir: string): GraphMeta | undefined {
  try {
    const meta = JSON.parse(readFileSync(join(dir, GRAPH_META_FILE), "utf8")) as GraphMeta;
    return meta.format === "mosaic-hnsw" && meta.version === 1 ? meta : undefined;
  } catch {
    // Missing or unreadable: treat as no cache, the graph is rebuilt.
    return undefined;
  }
}

function sameOptions(meta: GraphMeta, index: VectorIndex, options: ResolvedGraphOptions): boolean {
  const a = meta.options;
  return (
    meta.dim === index.dim &&
    a.connectivity === options.connectivity &&
    a.expansionAdd === options.expansionAdd &&
    a.quantization === options.quantization
  );
}

/** sha256 of rows [0, count) as stored in vectors.f32 (little-endian float32). */
function prefixSha(index: VectorIndex, count: number): string {
  const v = index.vectors;
  return createHash("sha256")
    .update(new Uint8Array(v.buffer, v.byteOffset, count * index.dim * 4))
    .digest("hex");
}

/** HNSW memory without a file to measure: codes plus ~2M level-0 links of 4 bytes, plus key and level. */
function estimateBytes(index: VectorIndex, options: ResolvedGraphOptions): number {
  const scalar = options.quantization === "none" ? 4 : options.quantization === "f16" ? 2 : 1;
  return index.count * (index.dim * scalar + options.connectivity * 2 * 4 + 16);
}
