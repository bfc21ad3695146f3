import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { VECTORS_FILE } from "../vector-index/format.js";
import type { VectorIndex } from "../vector-index/types.js";
import { HnswGraph, type ResolvedGraphOptions } from "./hnsw-graph.js";
import { fileSha256, sidecarProblem, writeFileAtomically } from "./sidecar-file.js";

export const GRAPH_FILE = "hnsw.usearch";
export const GRAPH_META_FILE = "hnsw.json";

/**
 * hnsw.json: what the graph was built from, so a stale graph is extended or rebuilt, never trusted.
 * Version 2 adds the graph file's sha256; a version-1 sidecar (no checksum) is rebuilt once.
 */
interface GraphMeta {
  format: "mosaic-hnsw";
  version: 1 | 2;
  dim: number;
  /** Rows covered: ordinals [0, count). */
  count: number;
  /** sha256 of those rows' float32 bytes (equal to the manifest's vectors.f32 sha when count is the index's). */
  vectorsSha256: string;
  options: ResolvedGraphOptions;
  /** Size of hnsw.usearch. */
  bytes: number;
  /** sha256 of hnsw.usearch (version 2). */
  sha256?: string;
}

export interface OpenedGraph {
  graph: HnswGraph;
  /** What happened: "loaded", "extended +N", or "built". */
  how: string;
  /** Bytes of the saved graph file (≈ its memory). */
  bytes: number;
}

/** Told, in one line, when a cached graph is damaged and rebuilt, or cannot be saved. */
export type SidecarNotice = (text: string) => void;

/**
 * The graph for `index`, cached as `<dir>/hnsw.usearch` + `hnsw.json`. A cached graph is reused when it
 * covers exactly this index; when it covers a prefix (records appended since), only the new rows are
 * inserted; otherwise it is rebuilt. Its size and sha256 are checked against hnsw.json before usearch
 * reads a byte (native code given a truncated file corrupts the heap), and a damaged graph is rebuilt
 * with a notice, never trusted and never fatal. The graph file is written to a temp name and renamed,
 * and the sidecar last, so a crash never leaves a sidecar vouching for a partial graph.
 */
export function openGraph(
  index: VectorIndex,
  dir: string | undefined,
  options: ResolvedGraphOptions,
  notice: SidecarNotice = () => {},
): OpenedGraph {
  const cached = dir === undefined ? undefined : loadCached(index, dir, options, notice);
  if (dir !== undefined && cached !== undefined) {
    const { graph, meta } = cached;
    if (graph.size === index.count) return { graph, how: "loaded", bytes: meta.bytes };
    graph.addRows(index.vectors, meta.count, index.count);
    return {
      graph,
      how: `extended +${index.count - meta.count}`,
      bytes: trySave(graph, index, dir, options, notice),
    };
  }
  const graph = HnswGraph.create(index.dim, options);
  graph.addRows(index.vectors, 0, index.count);
  const bytes =
    dir === undefined ? estimateBytes(index, options) : trySave(graph, index, dir, options, notice);
  return { graph, how: "built", bytes };
}

/** Inserts rows [graph.size, index.count) and re-saves when the graph is cached on disk. */
export function extendGraph(
  graph: HnswGraph,
  index: VectorIndex,
  dir: string | undefined,
  notice: SidecarNotice = () => {},
): number {
  graph.addRows(index.vectors, graph.size, index.count);
  return dir === undefined
    ? estimateBytes(index, graph.options)
    : trySave(graph, index, dir, graph.options, notice);
}

/**
 * The cached graph when it is intact and covers this index or a prefix of it; undefined (after a
 * notice when a file was there but damaged) otherwise. A stale graph (other rows, other options) is
 * rebuilt quietly: that is ordinary, not damage.
 */
function loadCached(
  index: VectorIndex,
  dir: string,
  options: ResolvedGraphOptions,
  notice: SidecarNotice,
): { graph: HnswGraph; meta: GraphMeta } | undefined {
  const graphPath = join(dir, GRAPH_FILE);
  const metaPath = join(dir, GRAPH_META_FILE);
  const rebuild = (why: string) => {
    notice(`Search graph ${graphPath} ${why}; discarding it and rebuilding.`);
    return undefined;
  };
  if (!existsSync(metaPath)) {
    return existsSync(graphPath) ? rebuild(`has no ${GRAPH_META_FILE} beside it`) : undefined;
  }
  const meta = readMeta(metaPath);
  if (typeof meta === "string") return rebuild(meta);
  if (!sameOptions(meta, index, options) || meta.count > index.count) return undefined;
  const exact =
    meta.count === index.count && meta.vectorsSha256 === index.manifest.files[VECTORS_FILE]?.sha256;
  if (!exact && meta.vectorsSha256 !== prefixSha(index, meta.count)) return undefined;
  if (meta.version < 2 || meta.sha256 === undefined) {
    return rebuild("has no checksum (written by an older mosaic)");
  }
  const problem = sidecarProblem(graphPath, { bytes: meta.bytes, sha256: meta.sha256 });
  if (problem !== undefined) return rebuild(problem);
  let graph: HnswGraph;
  try {
    graph = HnswGraph.load(graphPath, index.dim, options);
  } catch (err) {
    return rebuild(`could not be read (${(err as Error).message})`);
  }
  if (graph.size !== meta.count) return rebuild(`holds ${graph.size} rows, expected ${meta.count}`);
  return { graph, meta };
}

/** Saves the graph beside the index; a read-only index dir costs the cache, not the query. */
function trySave(
  graph: HnswGraph,
  index: VectorIndex,
  dir: string,
  options: ResolvedGraphOptions,
  notice: SidecarNotice,
): number {
  try {
    return saveGraph(graph, index, dir, options);
  } catch (err) {
    notice(
      `Could not save the search graph in ${dir} (${(err as Error).message}); it is kept in memory only.`,
    );
    return estimateBytes(index, options);
  }
}

function saveGraph(graph: HnswGraph, index: VectorIndex, dir: string, options: ResolvedGraphOptions): number {
  const path = join(dir, GRAPH_FILE);
  const metaPath = join(dir, GRAPH_META_FILE);
  if (existsSync(metaPath)) unlinkSync(metaPath);
  writeFileAtomically(path, (tmp) => graph.save(tmp));
  const bytes = statSync(path).size;
  const meta: GraphMeta = {
    format: "mosaic-hnsw",
    version: 2,
    dim: index.dim,
    count: graph.size,
    vectorsSha256:
      graph.size === index.count
        ? (index.manifest.files[VECTORS_FILE]?.sha256 ?? prefixSha(index, graph.size))
        : prefixSha(index, graph.size),
    options,
    bytes,
    sha256: fileSha256(path),
  };
  writeFileAtomically(metaPath, (tmp) => writeFileSync(tmp, `${JSON.stringify(meta, null, 2)}\n`));
  return bytes;
}

/** The parsed sidecar, or why it cannot be used. */
function readMeta(path: string): GraphMeta | string {
  let meta: GraphMeta;
  try {
    meta = JSON.parse(readFileSync(path, "utf8")) as GraphMeta;
  } catch {
    return `has an unreadable ${GRAPH_META_FILE}`;
  }
  const ok =
    meta !== null &&
    typeof meta === "object" &&
    meta.format === "mosaic-hnsw" &&
    (meta.version === 1 || meta.version === 2) &&
    Number.isInteger(meta.count) &&
    Number.isInteger(meta.bytes) &&
    typeof meta.vectorsSha256 === "string" &&
    typeof meta.options === "object" &&
    meta.options !== null;
  return ok ? meta : `has an invalid ${GRAPH_META_FILE}`;
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
