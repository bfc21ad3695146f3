import { Index, MetricKind, ScalarKind } from "usearch";
import type { Quantization } from "./types.js";

export interface GraphOptions {
  /** HNSW M: links per node per layer (default 16). */
  connectivity?: number;
  /** Beam width while inserting (default 128; higher builds slower and a better graph). */
  expansionAdd?: number;
  /** Minimum beam width while searching (default: expansionSearchFor(row count), 96 to 1024); a larger k widens it. */
  expansionSearch?: number;
  /**
   * How the graph stores its copy of the vectors (default "int8": a quarter of float32's memory, and the
   * cheapest distance); the engine re-scores the candidates it returns from the float32 rows, so only the
   * candidate set, never a score or the final order, comes from the codes.
   */
  quantization?: Quantization;
  /** Build threads (0 = all cores). */
  threads?: number;
  /**
   * A facet value with at least this many rows (default 50,000) and subgraphMinShare of the index gets a
   * graph of its own, searched for a filter on that value instead of post-filtering the whole graph.
   */
  subgraphMinRows?: number;
  /** Default 0.05: below that share the whole graph (or a scan) is cheap enough. */
  subgraphMinShare?: number;
}

export type ResolvedGraphOptions = Required<GraphOptions>;

/**
 * The search beam grows with the index. Measured on bench:search's clustered data
 * (int8 graph, M 16, expansionAdd 128, 31 candidates re-scored): recall@10 0.990 at ef 64 and 1.000 at ef 96
 * for 100k rows; 0.987 at ef 96 and 0.998 at ef 128 for 200k — the beam needed about doubles with the rows.
 */
export function expansionSearchFor(count: number): number {
  return Math.min(1024, Math.max(96, Math.round((80 * count) / 100_000)));
}

/**
 * Links per node grow with the index. Measured on bench:search's clustered 256-d data (int8, expansionAdd 128,
 * 31 re-scored): at 1M, M 16 tops out at recall@10 0.964 (ef 800) and 0.984 (ef 1600) however many
 * candidates are re-scored (31 to 400) — the graph, not the beam or the int8 order, is the limit. M 24 gives
 * 0.981 at ef 800 and 0.993 at ef 1200; M 32 gives 0.996 at ef 800 (113× brute force in CPU time) for a
 * build of 658 CPU-s vs 564 for M 24. 100k and 200k keep M 16 (recall 0.999 / 0.998 there, and faster).
 */
const CONNECTIVITY_LARGE_ROWS = 500_000;
const CONNECTIVITY_LARGE = 32;

export function connectivityFor(count: number): number {
  return count >= CONNECTIVITY_LARGE_ROWS ? CONNECTIVITY_LARGE : 16;
}

export function resolveGraphOptions(options: GraphOptions = {}, count = 0): ResolvedGraphOptions {
  return {
    connectivity: options.connectivity ?? connectivityFor(count),
    expansionAdd: options.expansionAdd ?? 128,
    expansionSearch: options.expansionSearch ?? expansionSearchFor(count),
    quantization: options.quantization ?? "int8",
    threads: options.threads ?? 0,
    subgraphMinRows: options.subgraphMinRows ?? 50_000,
    subgraphMinShare: options.subgraphMinShare ?? 0.05,
  };
}

const SCALAR: Record<Quantization, ScalarKind> = {
  none: ScalarKind.F32,
  f16: ScalarKind.F16,
  int8: ScalarKind.I8,
};

/** An HNSW graph (usearch) over index rows, keyed by ordinal, inner-product metric. */
export class HnswGraph {
  private constructor(
    private readonly index: Index,
    readonly dim: number,
    readonly options: ResolvedGraphOptions,
  ) {}

  static create(dim: number, options: ResolvedGraphOptions): HnswGraph {
    const index = new Index({
      dimensions: dim,
      metric: MetricKind.IP,
      quantization: SCALAR[options.quantization],
      connectivity: options.connectivity,
      expansion_add: options.expansionAdd,
      expansion_search: options.expansionSearch,
      multi: false,
    });
    return new HnswGraph(index, dim, options);
  }

  /** Loads a graph saved by save(); the options must be those it was built with. */
  static load(path: string, dim: number, options: ResolvedGraphOptions): HnswGraph {
    const graph = HnswGraph.create(dim, options);
    graph.index.load(path);
    return graph;
  }

  get size(): number {
    return this.index.size();
  }

  /** Inserts the rows `ordinals` (ascending) of `vectors`, keyed by ordinal. */
  addRows(vectors: Float32Array, ordinals: Uint32Array): void {
    const count = ordinals.length;
    if (count === 0) return;
    const keys = new BigUint64Array(count);
    for (let i = 0; i < count; i++) keys[i] = BigInt(ordinals[i]!);
    const dim = this.dim;
    const first = ordinals[0]!;
    // A fresh copy either way: usearch's native side misreads views into a larger buffer.
    let rows: Float32Array;
    if (ordinals[count - 1]! - first === count - 1) rows = vectors.slice(first * dim, (first + count) * dim);
    else {
      rows = new Float32Array(count * dim);
      for (let i = 0; i < count; i++) {
        const o = ordinals[i]!;
        rows.set(vectors.subarray(o * dim, (o + 1) * dim), i * dim);
      }
    }
    this.index.add(keys, rows, this.options.threads);
  }

  /** Ordinals of (about) the k nearest rows by inner product, best first. */
  search(query: Float32Array, k: number): Uint32Array {
    const { keys } = this.index.search(query, Math.max(1, Math.min(k, this.size)), 1);
    const out = new Uint32Array(keys.length);
    for (let i = 0; i < keys.length; i++) out[i] = Number(keys[i]!);
    return out;
  }

  save(path: string): void {
    this.index.save(path);
  }
}
