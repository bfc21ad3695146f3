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
  /** Rows covered: ordinals [0, count) (those of `part`). */
  count: number;
  /** sha256 of those rows' float32 bytes (equal to the manifest's vectors.f32 sha when count is the index's). */
  vectorsSha256: string;
  options: ResolvedGraphOptions;
  /** Size of hnsw.usearch. */
  bytes: number;
  /** sha256 of hnsw.usearch (version 2). */
  sha256?: string;
  /** A sub-graph's facet value (absent for the whole index's graph). */
  part?: GraphPart;
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
 * Which rows a graph covers: every row of the index, or a sub-graph over the rows of one facet value
 * (searched for a filter on that value instead of post-filtering the whole graph).
 */
export interface GraphPart {
  field: string;
  value: string;
}

/** The facet values large enough for a sub-graph of their own (subgraphMinRows and subgraphMinShare). */
export function subgraphParts(index: VectorIndex, options: ResolvedGraphOptions): GraphPart[] {
  const floor = subgraphFloor(index.count, options);
  const parts: GraphPart[] = [];
  for (const [field, byValue] of index.postings)
    for (const [value, list] of byValue) if (list.length >= floor) parts.push({ field, value });
  return parts;
}

/** The fewest rows a facet value needs for a sub-graph. */
export function subgraphFloor(count: number, options: ResolvedGraphOptions): number {
  return Math.max(options.subgraphMinRows, options.subgraphMinShare * count);
}

/** The ordinals of `part` in [from, to), ascending (postings are ascending). */
export function partRows(
  index: VectorIndex,
  part: GraphPart | undefined,
  from: number,
  to: number,
): Uint32Array {
  if (part === undefined) {
    const out = new Uint32Array(Math.max(0, to - from));
    for (let i = 0; i < out.length; i++) out[i] = from + i;
    return out;
  }
  const list = index.postings.get(part.field)?.get(part.value) ?? new Uint32Array(0);
  return list.subarray(lowerBound(list, from), lowerBound(list, to));
}

function lowerBound(list: Uint32Array, x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** hnsw.usearch + hnsw.json for the whole index; hnsw-<hash of field and value>.* for a sub-graph. */
export function graphFiles(dir: string, part?: GraphPart): { graph: string; meta: string } {
  if (part === undefined) return { graph: join(dir, GRAPH_FILE), meta: join(dir, GRAPH_META_FILE) };
  const h = createHash("sha256").update(`${part.field}\0${part.value}`).digest("hex").slice(0, 16);
  return { graph: join(dir, `hnsw-${h}.usearch`), meta: join(dir, `hnsw-${h}.json`) };
}

/**
 * The graph for `index` (or for one facet value's rows, `part`), cached as `<dir>/hnsw.usearch` +
 * `hnsw.json`. A cached graph is reused when it covers exactly this index; when it covers a prefix
 * (records appended since), only the new rows are inserted; otherwise it is rebuilt. Its size and
 * sha256 are checked against hnsw.json before usearch reads a byte (native code given a truncated file
 * corrupts the heap), and a damaged graph is rebuilt with a notice, never trusted and never fatal; so is
 * one built with other options (older defaults). The graph file is written to a temp name and renamed,
 * and the sidecar last, so a crash never leaves a sidecar vouching for a partial graph.
 */
export function openGraph(
  index: VectorIndex,
  dir: string | undefined,
  options: ResolvedGraphOptions,
  notice: SidecarNotice = () => {},
  part?: GraphPart,
): OpenedGraph {
  const cached = dir === undefined ? undefined : loadCached(index, dir, options, notice, part);
  if (dir !== undefined && cached !== undefined) {
    const { graph, meta } = cached;
    if (meta.count === index.count) return { graph, how: "loaded", bytes: meta.bytes };
    graph.addRows(index.vectors, partRows(index, part, meta.count, index.count));
    return {
      graph,
      how: `extended +${index.count - meta.count}`,
      bytes: trySave(graph, index, dir, options, notice, part),
    };
  }
  const graph = HnswGraph.create(index.dim, options);
  graph.addRows(index.vectors, partRows(index, part, 0, index.count));
  const bytes =
    dir === undefined ? estimateBytes(graph, options) : trySave(graph, index, dir, options, notice, part);
  return { graph, how: "built", bytes };
}

/** Inserts rows [from, index.count) (those of `part`) and re-saves when the graph is cached on disk. */
export function extendGraph(
  graph: HnswGraph,
  index: VectorIndex,
  from: number,
  dir: string | undefined,
  notice: SidecarNotice = () => {},
  part?: GraphPart,
): number {
  graph.addRows(index.vectors, partRows(index, part, from, index.count));
  return dir === undefined
    ? estimateBytes(graph, graph.options)
    : trySave(graph, index, dir, graph.options, notice, part);
}

/**
 * The cached graph when it is intact and covers this index or a prefix of it; undefined (after a
 * notice when a file was there but damaged, or built with other options such as older defaults)
 * otherwise. A graph of other rows is rebuilt quietly: that is ordinary, not damage.
 */
function loadCached(
  index: VectorIndex,
  dir: string,
  options: ResolvedGraphOptions,
  notice: SidecarNotice,
  part: GraphPart | undefined,
): { graph: HnswGraph; meta: GraphMeta } | undefined {
  const { graph: graphPath, meta: metaPath } = graphFiles(dir, part);
  const rebuild = (why: string) => {
    notice(`Search graph ${graphPath} ${why}; discarding it and rebuilding.`);
    return undefined;
  };
  if (!existsSync(metaPath)) {
    return existsSync(graphPath) ? rebuild(`has no ${GRAPH_META_FILE} beside it`) : undefined;
  }
  const meta = readMeta(metaPath);
  if (typeof meta === "string") return rebuild(meta);
  if (meta.dim !== index.dim || meta.count > index.count || !samePart(meta.part, part)) return undefined;
  const exact =
    meta.count === index.count && meta.vectorsSha256 === index.manifest.files[VECTORS_FILE]?.sha256;
  if (!exact && meta.vectorsSha256 !== prefixSha(index, meta.count)) return undefined;
  const changed = optionChange(meta.options, options);
  if (changed !== undefined) return rebuild(`was built with ${changed}`);
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
  const expected = partRows(index, part, 0, meta.count).length;
  if (graph.size !== expected) return rebuild(`holds ${graph.size} rows, expected ${expected}`);
  return { graph, meta };
}

/** Saves the graph beside the index; a read-only index dir costs the cache, not the query. */
function trySave(
  graph: HnswGraph,
  index: VectorIndex,
  dir: string,
  options: ResolvedGraphOptions,
  notice: SidecarNotice,
  part: GraphPart | undefined,
): number {
  try {
    return saveGraph(graph, index, dir, options, part);
  } catch (err) {
    notice(
      `Could not save the search graph in ${dir} (${(err as Error).message}); it is kept in memory only.`,
    );
    return estimateBytes(graph, options);
  }
}

/** Saves a graph that covers every row of `index` (of `part`). */
function saveGraph(
  graph: HnswGraph,
  index: VectorIndex,
  dir: string,
  options: ResolvedGraphOptions,
  part: GraphPart | undefined,
): number {
  const { graph: path, meta: metaPath } = graphFiles(dir, part);
  if (existsSync(metaPath)) unlinkSync(metaPath);
  writeFileAtomically(path, (tmp) => graph.save(tmp));
  const bytes = statSync(path).size;
  const meta: GraphMeta = {
    format: "mosaic-hnsw",
    version: 2,
    dim: index.dim,
    count: index.count,
    vectorsSha256: index.manifest.files[VECTORS_FILE]?.sha256 ?? prefixSha(index, index.count),
    ...(part === undefined ? {} : { part }),
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

/** How the cached graph's build options differ from these (undefined: the same graph would be built). */
function optionChange(built: ResolvedGraphOptions, options: ResolvedGraphOptions): string | undefined {
  const keys = ["connectivity", "expansionAdd", "quantization"] as const;
  const differ = keys.filter((k) => built[k] !== options[k]);
  if (differ.length === 0) return undefined;
  const say = (o: ResolvedGraphOptions) => differ.map((k) => `${k} ${String(o[k])}`).join(", ");
  return `${say(built)}, not ${say(options)}`;
}

function samePart(a: GraphPart | undefined, b: GraphPart | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.field === b.field && a.value === b.value;
}

/** sha256 of rows [0, count) as stored in vectors.f32 (little-endian float32). */
function prefixSha(index: VectorIndex, count: number): string {
  const v = index.vectors;
  return createHash("sha256")
    .update(new Uint8Array(v.buffer, v.byteOffset, count * index.dim * 4))
    .digest("hex");
}

/** HNSW memory without a file to measure: codes plus ~2M level-0 links of 4 bytes, plus key and level. */
function estimateBytes(graph: HnswGraph, options: ResolvedGraphOptions): number {
  const scalar = options.quantization === "none" ? 4 : options.quantization === "f16" ? 2 : 1;
  return graph.size * (graph.dim * scalar + options.connectivity * 2 * 4 + 16);
}
