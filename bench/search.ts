/**
 * Filtered similarity search: brute force (searchExact, the baseline) vs MMLSpark's conditional ball
 * tree vs the planner engine, on the same synthetic index and queries, in one run. The first engine
 * that needs the HNSW graph builds it into a temp dir; later ones load it (their build time is a load).
 *   BENCH_N (100000) BENCH_DIM (256) BENCH_CLUSTERS (256) BENCH_Q (200) BENCH_THREADS (0 = all)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { searchExactWithMatches } from "../src/index/search-exact.js";
import type { Filter, SearchHit } from "../src/index/types.js";
import { createSearchEngine } from "../src/search/create-search-engine.js";
import type { SearchEngine } from "../src/search/types.js";
import { syntheticSet } from "./search-data.js";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const N = env("BENCH_N", 100_000);
const DIM = env("BENCH_DIM", 256);
const CLUSTERS = env("BENCH_CLUSTERS", 256);
const Q = env("BENCH_Q", 200);
const THREADS = env("BENCH_THREADS", 0);
const K = 10;

const t = performance.now();
const { index, queries } = syntheticSet(N, DIM, CLUSTERS, Q);
console.error(
  `data: ${N} × ${DIM}, ${CLUSTERS} clusters, ${Q} queries (${((performance.now() - t) / 1000).toFixed(1)} s)`,
);

const size = (f: string, v: string) => index.postings.get(f)?.get(v)?.length ?? 0;
const cultures = [...index.postings.get("culture")!].sort((a, b) => b[1].length - a[1].length);
const rare = cultures.find(([, l]) => l.length <= N * 0.006) ?? cultures.at(-1)!;
const FILTERS: [string, Filter | undefined][] = [
  ["none", undefined],
  [`common culture=${cultures[0]![0]}`, { culture: [cultures[0]![0]] }],
  [`rare culture=${rare[0]}`, { culture: [rare[0]] }],
  ["culture=c1 AND type=t1", { culture: ["c1"], type: ["t1"] }],
];

type Search = (q: Float32Array, filter: Filter | undefined) => { hits: SearchHit[]; plan?: string };
const engines: { name: string; build: () => { search: Search; memory: () => Record<string, number> } }[] = [
  {
    name: "brute force",
    build: () => ({
      search: (q, filter) => searchExactWithMatches(index, q, { n: K, filter }),
      memory: () => ({ vectors: index.vectors.byteLength }),
    }),
  },
  ...(
    [
      ["ball tree", { engine: "balltree" }],
      ["auto f32", { engine: "auto" }],
      ["auto int8", { engine: "auto", quantization: "int8" }],
      ["hnsw only", { engine: "hnsw" }],
    ] as const
  ).map(([name, options]) => ({
    name,
    build: () => {
      // One graph directory for all engines: the first builds the graph, the others load it.
      const engine: SearchEngine = createSearchEngine(index, {
        ...options,
        indexDir: graphDir,
        graph: { threads: THREADS },
        onBuild: (what, ms) => console.error(`  ${name}: ${what} ${(ms / 1000).toFixed(1)} s`),
      });
      return {
        search: (q: Float32Array, filter: Filter | undefined) => engine.search(q, { n: K, filter }),
        memory: () => engine.memory(),
      };
    },
  })),
];

// Ground truth from the baseline, computed once.
const truth = FILTERS.map(([, filter]) =>
  queries.map((q) => searchExactWithMatches(index, q, { n: K, filter }).hits),
);
const graphDir = await mkdtemp(join(tmpdir(), "mosaic-bench-"));
// Build every engine first (lazy structures are built by one warm-up query per filter), then time
// them interleaved, best of ROUNDS per filter, so machine noise hits all engines alike.
const ROUNDS = env("BENCH_ROUNDS", 2);
const built = engines.map(({ name, build }) => {
  const start = performance.now();
  const e = build();
  for (const [, filter] of FILTERS) for (const q of queries.slice(0, 3)) e.search(q, filter);
  const buildMs = performance.now() - start;
  console.error(`built: ${name} ${(buildMs / 1000).toFixed(1)} s`);
  return { name, e, buildMs };
});
const rows: string[][] = [];
FILTERS.forEach(([label, filter], fi) => {
  const best = built.map(() => Number.POSITIVE_INFINITY);
  const stats = built.map(() => ({ found: 0, wanted: 0, plans: new Map<string, number>() }));
  for (let round = 0; round < ROUNDS; round++) {
    built.forEach(({ e }, ei) => {
      const start = performance.now();
      const results = queries.map((q) => e.search(q, filter));
      best[ei] = Math.min(best[ei]!, performance.now() - start);
      if (round > 0) return;
      results.forEach(({ hits, plan }, qi) => {
        const p = (plan ?? "scan").replace(/\(k=\d+\)|\d+\/\d+|, rescored \d+/g, "").trim();
        const st = stats[ei]!;
        st.plans.set(p, (st.plans.get(p) ?? 0) + 1);
        const want = new Set(truth[fi]![qi]!.map((h) => h.ordinal));
        st.found += hits.filter((h) => want.has(h.ordinal)).length;
        st.wanted += want.size;
      });
    });
  }
  const matches = filter ? searchExactWithMatches(index, queries[0]!, { n: 0, filter }).matches : N;
  built.forEach(({ name, e, buildMs }, ei) => {
    const qps = (Q * 1000) / best[ei]!;
    const st = stats[ei]!;
    rows.push([
      name,
      `${label} (${((100 * matches) / N).toFixed(1)}%)`,
      qps.toFixed(0),
      `${(best[0]! / best[ei]!).toFixed(1)}×`,
      (st.found / Math.max(1, st.wanted)).toFixed(3),
      [...st.plans].map(([p, c]) => `${p}:${c}`).join(" "),
      fi === 0 ? `${(buildMs / 1000).toFixed(1)} s` : "",
      fi === 0
        ? Object.entries(e.memory())
            .map(([k, v]) => `${k} ${(v / 2 ** 20).toFixed(1)}M`)
            .join(", ")
        : "",
    ]);
  });
  console.error(`timed: ${label}`);
});

const head = ["engine", "filter (selectivity)", "q/s", "vs brute", "recall@10", "plans", "build", "memory"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
console.log(
  `N=${N} dim=${DIM} clusters=${CLUSTERS} queries=${Q} k=${K} (rare=${size("culture", rare[0])} rows)`,
);
console.log(line(head));
for (const r of rows) console.log(line(r));
await rm(graphDir, { recursive: true, force: true });
console.log(
  "build = first query per filter, which builds (or loads from the shared dir) the lazy structures.",
);
