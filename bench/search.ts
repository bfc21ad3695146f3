/**
 * Filtered similarity search at a chosen scale: brute force (searchExact, the baseline) vs the planner
 * engine (auto) vs the HNSW graph alone, plus hnswlib-node as an outside reference when it is built, on
 * the same index and queries, in one run. Filters are picked by selectivity: none, ~10 %, ~1 %, ~0.1 %,
 * and a two-facet AND near 1 %. Prints q/s, the ratio to brute force, recall@10, build time and bytes per
 * vector (vectors plus every structure the engine holds).
 *   BENCH_N (100000) BENCH_DIM (256) BENCH_Q (200) BENCH_THREADS (0 = all cores) BENCH_ROUNDS (2)
 *   BENCH_DATA: "synthetic" (default; BENCH_CLUSTERS 256) or "real": embeddings of the mosaic indexes
 *     listed in BENCH_SEEDS (comma-separated dirs) grown to BENCH_N rows by augmentedSet (search-data.ts)
 *   BENCH_M / BENCH_EF_ADD / BENCH_EF / BENCH_GRAPH_Q (none|f16|int8): graph levers (engine defaults otherwise)
 *   BENCH_GRAPH_DIR keeps the built graph for the next run with the same data and options
 *   BENCH_BALLTREE=1 adds the original's ball tree; BENCH_HNSWLIB=0 skips hnswlib-node (default: N ≤ 200k)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadIndex } from "../src/vector-index/load-index.js";
import { searchExactWithMatches } from "../src/search/search-exact.js";
import type { Filter, SearchHit } from "../src/vector-index/types.js";
import { createSearchEngine } from "../src/search/create-search-engine.js";
import type { GraphOptions } from "../src/search/hnsw-graph.js";
import type { Quantization, SearchEngine } from "../src/search/types.js";
import { hnswlibEngine } from "./hnswlib-baseline.js";
import { augmentedSet, type SyntheticSet, syntheticSet } from "./search-data.js";
import { pickFilters } from "./search-filters.js";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const optional = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
const N = env("BENCH_N", 100_000);
const DIM = env("BENCH_DIM", 256);
const Q = env("BENCH_Q", 200);
const THREADS = env("BENCH_THREADS", 0);
const DATA = process.env.BENCH_DATA ?? "synthetic";
const K = 10;

const t = performance.now();
const { index, queries } = await benchSet();
const dim = index.dim;
console.error(`data: ${DATA} ${N} × ${dim}, ${Q} queries (${((performance.now() - t) / 1000).toFixed(1)} s)`);

async function benchSet(): Promise<SyntheticSet> {
  if (DATA === "synthetic") return syntheticSet(N, DIM, env("BENCH_CLUSTERS", 256), Q);
  if (DATA !== "real") throw new Error(`BENCH_DATA must be "synthetic" or "real", not ${DATA}`);
  const dirs = (process.env.BENCH_SEEDS ?? "").split(",").filter(Boolean);
  if (dirs.length === 0) throw new Error("BENCH_DATA=real needs BENCH_SEEDS=<index dir>[,<index dir>…]");
  const parts = await Promise.all(dirs.map((d) => loadIndex(d)));
  const seedDim = parts[0]!.dim;
  if (parts.some((p) => p.dim !== seedDim)) throw new Error("BENCH_SEEDS indexes must share one model");
  const count = parts.reduce((s, p) => s + p.count, 0);
  const vectors = new Float32Array(count * seedDim);
  const groups: string[] = [];
  let at = 0;
  for (const p of parts) {
    vectors.set(p.vectors.subarray(0, p.count * seedDim), at * seedDim);
    const facet = p.manifest.facets[0];
    for (const r of p.records) groups.push(facet ? r.facets[facet] || "(none)" : "(none)");
    at += p.count;
  }
  return augmentedSet({ vectors, dim: seedDim, count, groups }, N, DIM, Q);
}

const FILTERS = pickFilters(index);
const graph: GraphOptions = {
  threads: THREADS,
  connectivity: optional("BENCH_M"),
  expansionAdd: optional("BENCH_EF_ADD"),
  expansionSearch: optional("BENCH_EF"),
  quantization: process.env.BENCH_GRAPH_Q as Quantization | undefined,
};

type Search = (q: Float32Array, filter: Filter | undefined) => { hits: SearchHit[]; plan?: string };
interface Built {
  search: Search;
  memory: () => Record<string, number>;
}
const engines: { name: string; build: () => Built | undefined }[] = [
  {
    name: "brute force",
    build: () => ({
      search: (q, filter) => searchExactWithMatches(index, q, { n: K, filter }),
      memory: () => ({}),
    }),
  },
  ...(
    [
      ...(process.env.BENCH_BALLTREE === "1" ? [["ball tree", { engine: "balltree" }] as const] : []),
      ["auto", { engine: "auto" }],
      ["hnsw only", { engine: "hnsw" }],
    ] as const
  ).map(([name, options]) => ({
    name,
    build: (): Built => {
      // One graph directory for all engines: the first builds the graph, the others load it.
      const engine: SearchEngine = createSearchEngine(index, {
        ...options,
        indexDir: graphDir,
        graph,
        onBuild: (what, ms) => console.error(`  ${name}: ${what} ${(ms / 1000).toFixed(1)} s`),
      });
      return {
        search: (q: Float32Array, filter: Filter | undefined) => engine.search(q, { n: K, filter }),
        memory: () => engine.memory(),
      };
    },
  })),
  ...(env("BENCH_HNSWLIB", N <= 200_000 ? 1 : 0) === 1
    ? [{ name: "hnswlib-node M16 ef64", build: () => hnswlibEngine(index, K) }]
    : []),
];

// Ground truth from the baseline, computed once.
const truth = FILTERS.map(({ filter }) =>
  queries.map((q) => searchExactWithMatches(index, q, { n: K, filter }).hits),
);
// BENCH_GRAPH_DIR keeps the graph between runs (the data is seeded, so it is reused when the options match).
const graphDir = process.env.BENCH_GRAPH_DIR ?? (await mkdtemp(join(tmpdir(), "mosaic-bench-")));
// Build every engine first (lazy structures are built by one warm-up query per filter), then time
// them interleaved, best of ROUNDS per filter, so machine noise hits all engines alike.
const ROUNDS = env("BENCH_ROUNDS", 2);
const built: { name: string; e: Built; buildMs: number }[] = [];
for (const { name, build } of engines) {
  const start = performance.now();
  const e = await build();
  if (e === undefined) continue;
  for (const { filter } of FILTERS) for (const q of queries.slice(0, 3)) e.search(q, filter);
  const buildMs = performance.now() - start;
  console.error(`built: ${name} ${(buildMs / 1000).toFixed(1)} s`);
  built.push({ name, e, buildMs });
}
const rows: string[][] = [];
FILTERS.forEach(({ label, filter, matches }, fi) => {
  const best = built.map(() => Number.POSITIVE_INFINITY);
  const stats = built.map(() => ({ found: 0, wanted: 0, plans: new Map<string, number>() }));
  for (let round = 0; round < ROUNDS; round++) {
    built.forEach(({ e }, ei) => {
      const start = performance.now();
      const results = queries.map((q) => e.search(q, filter));
      best[ei] = Math.min(best[ei]!, performance.now() - start);
      if (round > 0) return;
      results.forEach(({ hits, plan }, qi) => {
        const p = (plan ?? "scan").replace(/\(k=\d+\)|\d+\/\d+|, rescored \d+|\(f32\)/g, "").trim();
        const st = stats[ei]!;
        st.plans.set(p, (st.plans.get(p) ?? 0) + 1);
        const want = new Set(truth[fi]![qi]!.map((h) => h.id));
        st.found += hits.filter((h) => want.has(h.id)).length;
        st.wanted += want.size;
      });
    });
  }
  built.forEach(({ name, e, buildMs }, ei) => {
    const st = stats[ei]!;
    const memory = e.memory();
    // memory() names the float32 rows too ("vectors"): count them once.
    const extra = Object.entries(memory).reduce((s, [k, v]) => (k === "vectors" ? s : s + v), 0);
    rows.push([
      name,
      `${label} (${((100 * matches) / N).toFixed(matches * 1000 < N ? 2 : 1)}%)`,
      ((Q * 1000) / best[ei]!).toFixed(0),
      `${(best[0]! / best[ei]!).toFixed(1)}×`,
      (st.found / Math.max(1, st.wanted)).toFixed(3),
      [...st.plans].map(([p, c]) => `${p}:${c}`).join(" "),
      fi === 0 ? `${(buildMs / 1000).toFixed(1)} s` : "",
      fi === 0 ? `${((index.vectors.byteLength + extra) / N).toFixed(0)}` : "",
      fi === 0
        ? Object.entries(memory)
            .map(([k, v]) => `${k} ${(v / 2 ** 20).toFixed(1)}M`)
            .join(", ")
        : "",
    ]);
  });
  console.error(`timed: ${label}`);
});

const head = [
  "engine",
  "filter (share)",
  "q/s",
  "vs brute",
  "recall@10",
  "plans",
  "build",
  "B/vector",
  "beyond vectors",
];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
const g = Object.entries(graph).filter(([, v]) => v !== undefined && v !== 0);
console.log(
  `data=${DATA} N=${N} dim=${dim} queries=${Q} k=${K} graph=${g.map(([k, v]) => `${k}:${v}`).join(",") || "defaults"}`,
);
console.log(line(head));
for (const r of rows) console.log(line(r));
if (!process.env.BENCH_GRAPH_DIR) await rm(graphDir, { recursive: true, force: true });
console.log(
  `build = construction + one warm-up query per filter; B/vector = (float32 rows ${(index.vectors.byteLength / N).toFixed(0)} B + the engine's structures) / N.`,
);
