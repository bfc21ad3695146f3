import { existsSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { dot } from "./dot.js";
import { filterCandidates } from "./filter-candidates.js";
import { VECTORS_FILE } from "../vector-index/format.js";
import { firstNonFinite, toUnitFloat32 } from "../vector-index/normalize.js";
import { searchExactWithMatches, countEligible } from "./search-exact.js";
import { TopKHeaps } from "./top-k.js";
import type { Filter, SearchHit, VectorIndex } from "../vector-index/types.js";
import { ConditionalBallTree } from "./ball-tree.js";
import { DEFAULT_LEAF_SIZE } from "./build-ball-tree.js";
import { extendGraph, type GraphPart, openGraph, subgraphFloor } from "./graph-store.js";

import { type GraphOptions, type HnswGraph, resolveGraphOptions } from "./hnsw-graph.js";
import { planQuery } from "./plan-query.js";
import { facetLabel, pointLabelsFromPostings } from "./point-labels.js";
import {
  extendQuantized,
  type QuantizedVectors,
  quantizedBytes,
  quantizeVectors,
} from "./quantized-vectors.js";
import { type ScanScope, scanQuantized } from "./scan.js";
import type { EngineKind, EngineSearchOptions, Quantization, SearchEngine } from "./types.js";

export interface SearchEngineOptions {
  /** "auto" (default) plans per query; the others force one strategy. */
  engine?: EngineKind;
  /** Codes for the scan's first pass; results stay exact either way. Default "none". */
  quantization?: Quantization;
  /** The index directory: the graph and ball tree are cached there. Omit to keep them in memory only. */
  indexDir?: string | undefined;
  /** auto scans when the filter admits at most this many rows; default: a cost model (plan-query.ts). */
  exactThreshold?: number;
  graph?: GraphOptions;
  leafSize?: number;
  /** Told when a graph or tree is loaded, extended or built (they can take a while). */
  onBuild?: (what: string, ms: number) => void;
  /** Told, in one line, when a cached graph or tree is damaged (and rebuilt) or cannot be saved. */
  onNotice?: (text: string) => void;
}

/**
 * A search engine over `index` with the same contract as searchExact (min(n, matches) hits, score
 * descending, ties by id) that picks a strategy per query: an exact scan of the filter's rows when the
 * filter is selective, an HNSW graph with post-filtering when it is broad, and a scan again whenever the
 * graph cannot produce n matching rows. The graph and ball tree are built on first use.
 */
export function createSearchEngine(index: VectorIndex, options: SearchEngineOptions = {}): SearchEngine {
  const engine = options.engine ?? "auto";
  const quantization = options.quantization ?? "none";
  const graphOptions = resolveGraphOptions(options.graph, index.count);
  const leafSize = options.leafSize ?? DEFAULT_LEAF_SIZE;
  const clock = () => performance.now();
  let current = index;
  let codes: QuantizedVectors | undefined;
  let graph: { graph: HnswGraph; bytes: number } | undefined;
  /** Sub-graphs of large facet values, by `${field}\0${value}`, built on first use. */
  const subgraphs = new Map<string, { graph: HnswGraph; bytes: number; part: GraphPart }>();
  let tree: ConditionalBallTree | undefined;
  const scratch = { upper: new Float64Array(0) };
  const idOf = (o: number) => current.records[o]!.id;
  const notice = (text: string) => options.onNotice?.(text);

  const timed = <T>(what: string, f: () => T): T => {
    const t = clock();
    const out = f();
    options.onBuild?.(what, clock() - t);
    return out;
  };
  const getCodes = (): QuantizedVectors | undefined => {
    if (quantization === "none") return undefined;
    codes ??= timed(`${quantization} codes`, () =>
      quantizeVectors(current.vectors, current.dim, current.count, quantization),
    );
    return codes;
  };
  const getGraph = (): HnswGraph => {
    if (graph === undefined) {
      const t = clock();
      const opened = openGraph(current, options.indexDir, graphOptions, notice);
      options.onBuild?.(`hnsw graph ${opened.how}`, clock() - t);
      graph = { graph: opened.graph, bytes: opened.bytes };
    }
    return graph.graph;
  };
  /** The sub-graph for a filter that names a single large value of some field (the smallest such), if any. */
  const subgraphFor = (filter: Filter | undefined): { part: GraphPart; rows: number } | undefined => {
    let best: { part: GraphPart; rows: number } | undefined;
    const floor = subgraphFloor(current.count, graphOptions);
    for (const [field, values] of Object.entries(filter ?? {})) {
      const value = values[0];
      if (value === undefined || values.some((v) => v !== value)) continue;
      const rows = current.postings.get(field)?.get(value)?.length ?? 0;
      if (rows >= floor && (best === undefined || rows < best.rows)) best = { part: { field, value }, rows };
    }
    return best;
  };
  const getSubgraph = (part: GraphPart, rows: number): HnswGraph => {
    const key = `${part.field}\0${part.value}`;
    let sub = subgraphs.get(key);
    if (sub === undefined) {
      const t = clock();
      const subOptions = resolveGraphOptions(options.graph, rows);
      const opened = openGraph(current, options.indexDir, subOptions, notice, part);
      options.onBuild?.(`hnsw sub-graph ${part.field}=${part.value} ${opened.how}`, clock() - t);
      sub = { graph: opened.graph, bytes: opened.bytes, part };
      subgraphs.set(key, sub);
    }
    return sub.graph;
  };
  const getTree = (): ConditionalBallTree => {
    tree ??= timed("ball tree", () => {
      const path = treePath(current, options.indexDir, leafSize);
      if (path !== undefined && existsSync(path)) {
        const loaded = loadTree(path, current);
        if (typeof loaded !== "string") return loaded;
        notice(`Ball tree ${path} ${loaded}; discarding it and rebuilding.`);
      }
      const built = ConditionalBallTree.build(
        current.vectors,
        current.dim,
        pointLabelsFromPostings(current.postings, current.count),
        leafSize,
      );
      if (path !== undefined) {
        try {
          built.save(path);
        } catch (err) {
          notice(`Could not save the ball tree ${path} (${(err as Error).message}); kept in memory only.`);
        }
      }
      return built;
    });
    return tree;
  };

  /** Exact over the scope: the colleague's searchExact for float32, else the quantized two-pass scan. */
  const scan = (
    query: ArrayLike<number>,
    q: Float32Array,
    opts: EngineSearchOptions,
    scope: ScanScope,
    n: number,
  ): { hits: SearchHit[]; note: string } => {
    const c = getCodes();
    if (c === undefined) {
      return {
        hits: searchExactWithMatches(current, query, { ...opts, n, candidates: scope.candidates }).hits,
        note: "f32",
      };
    }
    const heap = new TopKHeaps(1, n, idOf);
    const rescored = scanQuantized(c, current.vectors, q, scope, heap, scratch);
    return { hits: toHits(heap, idOf), note: `${c.kind}, rescored ${rescored}` };
  };

  return {
    search(query, opts) {
      const { n, excludeOrdinal } = opts;
      checkQuery(current, query, n);
      const candidates = filterCandidates(current, opts.filter);
      const skip = excludeOrdinal ?? -1;
      const matches = countEligible(current.count, candidates, skip);
      // A filter on one large facet value searches that value's own graph: as fast as an index of its
      // rows alone, where post-filtering the whole graph would need a beam wider by count/matches.
      // Only for a broad filter: a narrow AND inside a large value is better scanned than post-filtered.
      const sub =
        (engine === "auto" || engine === "hnsw") && matches >= subgraphFloor(current.count, graphOptions)
          ? subgraphFor(opts.filter)
          : undefined;
      const graphRows = sub?.rows ?? current.count;
      const plan = planQuery({
        engine,
        count: graphRows,
        matches,
        n: Math.min(n, matches),
        exactThreshold: options.exactThreshold,
      });
      const want = Math.min(n, matches);
      const scope: ScanScope = { count: current.count, candidates, skip };
      if (plan.kind === "none") return { hits: [], matches, plan: "none" };
      // Normalized exactly as searchExact does, so every plan scores with the same query bits.
      const q = toUnitFloat32(query);
      if (plan.kind === "scan") {
        const { hits, note } = scan(query, q, opts, scope, want);
        return { hits, matches, plan: `scan(${note}) ${matches}/${current.count}` };
      }
      if (plan.kind === "balltree") {
        return {
          hits: searchTree(getTree(), current, q, opts.filter, candidates, skip, want, idOf),
          matches,
          plan: "balltree",
        };
      }
      const g = sub !== undefined ? getSubgraph(sub.part, sub.rows) : getGraph();
      const label = sub !== undefined ? `hnsw[${sub.part.field}=${sub.part.value}]` : "hnsw";
      // A sub-graph holds only its value's rows: when that is the whole filter, only `skip` is out.
      const onlySub = sub !== undefined && Object.keys(opts.filter ?? {}).length === 1;
      const eligible = onlySub ? undefined : eligibility(current.count, candidates, skip);
      // Widen k until n matching rows come back; past half the graph a scan is cheaper.
      for (let k = plan.k; k <= Math.max(plan.k, g.size >> 1); k *= 4) {
        const found = g.search(q, k);
        const heap = new TopKHeaps(1, want, idOf);
        let got = 0;
        for (const o of found) {
          if (eligible !== undefined ? eligible[o] === 1 : o !== skip) {
            heap.push(0, o, dot(q, 0, current.vectors, o * current.dim, current.dim));
            got++;
          }
        }
        if (got >= want) return { hits: toHits(heap, idOf), matches, plan: `${label}(k=${k})` };
        if (found.length >= g.size) break;
      }
      const { hits, note } = scan(query, q, opts, scope, want);
      return { hits, matches, plan: `${label}→scan(${note}) ${matches}/${current.count}` };
    },

    add(next) {
      if (next.dim !== current.dim || next.count < current.count) {
        throw new UsageError(
          "engine.add needs an append of the current index (same dim, at least as many rows)",
        );
      }
      const before = current.count;
      current = next;
      if (codes !== undefined) codes = extendQuantized(codes, next.vectors, next.count);
      if (graph !== undefined && next.count > before) {
        const g = graph.graph;
        graph.bytes = timed("hnsw extend", () => extendGraph(g, next, before, options.indexDir, notice));
      }
      if (next.count > before) {
        for (const sub of subgraphs.values()) {
          sub.bytes = timed(`hnsw sub-graph ${sub.part.field}=${sub.part.value} extend`, () =>
            extendGraph(sub.graph, next, before, options.indexDir, notice, sub.part),
          );
        }
      }
      // A ball tree has no cheap insert that keeps its balls tight; it is rebuilt on next use.
      tree = undefined;
    },

    memory() {
      const out: Record<string, number> = { vectors: current.vectors.byteLength };
      if (codes !== undefined) out[`codes(${codes.kind})`] = quantizedBytes(codes);
      if (graph !== undefined) out.graph = graph.bytes;
      if (subgraphs.size > 0) out.subgraphs = [...subgraphs.values()].reduce((sum, g) => sum + g.bytes, 0);
      if (tree !== undefined) out.balltree = tree.bytes;
      return out;
    },

    close() {
      graph = undefined;
      subgraphs.clear();
      tree = undefined;
      codes = undefined;
    },
  };
}

function searchTree(
  tree: ConditionalBallTree,
  index: VectorIndex,
  q: Float32Array,
  filter: Filter | undefined,
  candidates: Uint32Array | undefined,
  skip: number,
  n: number,
  idOf: (o: number) => string,
): SearchHit[] {
  // The tree prunes on one field's labels (the most selective); the rest of an AND is checked per point.
  const fields = Object.entries(filter ?? {});
  let labels: string[] | undefined;
  let best = Number.POSITIVE_INFINITY;
  for (const [field, values] of fields) {
    const byValue = index.postings.get(field);
    let size = 0;
    for (const v of values) size += byValue?.get(v)?.length ?? 0;
    if (size < best) {
      best = size;
      labels = values.map((v) => facetLabel(field, v));
    }
  }
  const eligible = fields.length > 1 ? eligibility(index.count, candidates, skip) : undefined;
  const accept =
    eligible !== undefined
      ? (o: number) => eligible[o] === 1
      : skip >= 0
        ? (o: number) => o !== skip
        : undefined;
  return tree
    .findMaximumInnerProducts(q, labels, n, { accept, idOf })
    .map((m) => ({ ordinal: m.index, id: idOf(m.index), score: m.distance }));
}

/** A cached tree, or why it is not used: checked (checksum, shape) before any search trusts it. */
function loadTree(path: string, index: VectorIndex): ConditionalBallTree | string {
  try {
    const tree = ConditionalBallTree.load(path, index.vectors);
    const t = tree.data;
    if (t.dim !== index.dim || t.count !== index.count || t.perm.length !== index.count) {
      return `describes ${t.count}×${t.dim} rows, not the index's ${index.count}×${index.dim}`;
    }
    return tree;
  } catch (err) {
    // readBallTree names the file in its message; keep only why.
    return (err as Error).message.replace(`Ball tree file ${path} `, "");
  }
}

function treePath(index: VectorIndex, dir: string | undefined, leafSize: number): string | undefined {
  if (dir === undefined) return undefined;
  // The vectors' checksum in the name: a tree from another version of the index is never picked up.
  const sha = index.manifest.files[VECTORS_FILE]?.sha256.slice(0, 16) ?? "unknown";
  return join(dir, `balltree-${sha}-${index.count}-${leafSize}.bin`);
}

function toHits(heap: TopKHeaps, idOf: (o: number) => string): SearchHit[] {
  return heap.sorted(0).map(({ ordinal, score }) => ({ ordinal, id: idOf(ordinal), score }));
}

/** A 0/1 byte per ordinal for "admitted and not excluded", or undefined when only `skip` is out. */
function eligibility(
  count: number,
  candidates: Uint32Array | undefined,
  skip: number,
): Uint8Array | undefined {
  if (candidates === undefined) return undefined;
  const ok = new Uint8Array(count);
  for (const o of candidates) ok[o] = 1;
  if (skip >= 0 && skip < count) ok[skip] = 0;
  return ok;
}

/** The same argument checks (and messages) as searchExact. */
function checkQuery(index: VectorIndex, query: ArrayLike<number>, n: number): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new UsageError(`Invalid result count ${n}`, { hint: "n must be a non-negative integer." });
  }
  if (query.length !== index.dim) {
    throw new UsageError(`Query vector has ${query.length} dimensions; the index has ${index.dim}`, {
      hint: `Embed the query with the index's model (${index.manifest.model.id}).`,
    });
  }
  if (firstNonFinite(query) >= 0) {
    throw new UsageError("Query vector contains NaN or Infinity", {
      hint: "Check the query image and model.",
    });
  }
}
