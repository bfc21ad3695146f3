import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { searchExactWithMatches } from "../../src/search/search-exact.js";
import type { Filter } from "../../src/vector-index/types.js";
import { createSearchEngine } from "../../src/search/create-search-engine.js";
import { connectivityFor, resolveGraphOptions } from "../../src/search/hnsw-graph.js";
import type { EngineKind, Quantization } from "../../src/search/types.js";
import { clusteredVectors, rng, syntheticIndex } from "./synthetic.js";

const DIM = 32;
const COUNT = 3000;
const FACETS = { culture: 12, type: 5, artist: 200 };
const vectors = clusteredVectors(COUNT, DIM, 16, 3);
const index = syntheticIndex(vectors, DIM, FACETS, 4);
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const r = rng(21);
function query(i: number): Float32Array {
  if (i % 2 === 0) return vectors.slice(((i * 37) % COUNT) * DIM, (((i * 37) % COUNT) + 1) * DIM);
  return Float32Array.from({ length: DIM }, () => r() - 0.5);
}
const FILTERS: (Filter | undefined)[] = [
  undefined,
  {},
  { culture: ["culture0"] },
  { culture: ["culture11"] },
  { culture: ["culture1", "culture3", "nope"] },
  { culture: ["culture0", "culture2"], type: ["type1"] },
  { culture: ["culture0"], type: ["type0"], artist: ["artist0", "artist1", "artist7"] },
  { artist: ["artist150"] },
  { culture: ["absent"] },
];

describe("createSearchEngine", () => {
  const exactKinds: [EngineKind, Quantization, number | undefined][] = [
    ["exact", "none", undefined],
    ["exact", "int8", undefined],
    ["exact", "f16", undefined],
    ["balltree", "none", undefined],
    ["auto", "int8", COUNT],
  ];
  it.each(exactKinds)(
    "engine %s (%s) equals searchExact for every filter",
    (kind, quantization, threshold) => {
      const engine = createSearchEngine(index, { engine: kind, quantization, exactThreshold: threshold });
      for (let i = 0; i < 12; i++) {
        const q = query(i);
        for (const filter of FILTERS) {
          for (const n of [0, 1, 10, COUNT]) {
            const excludeOrdinal = i % 3 === 0 ? (i * 37) % COUNT : undefined;
            const want = searchExactWithMatches(index, q, { n, filter, excludeOrdinal });
            const got = engine.search(q, { n, filter, excludeOrdinal });
            expect(got.matches).toBe(want.matches);
            expect(got.hits).toEqual(want.hits);
          }
        }
      }
    },
  );

  it("graph plans always return min(n, matches) eligible hits, with high recall", () => {
    const engine = createSearchEngine(index, { engine: "hnsw", graph: { threads: 1 } });
    let found = 0;
    let wanted = 0;
    for (let i = 0; i < 12; i++) {
      const q = query(i);
      for (const filter of FILTERS) {
        const want = searchExactWithMatches(index, q, { n: 10, filter, excludeOrdinal: 5 });
        const got = engine.search(q, { n: 10, filter, excludeOrdinal: 5 });
        expect(got.matches).toBe(want.matches);
        expect(got.hits.length).toBe(want.hits.length);
        const ok = new Set(
          searchExactWithMatches(index, q, { n: COUNT, filter, excludeOrdinal: 5 }).hits.map(
            (h) => h.ordinal,
          ),
        );
        for (const h of got.hits) expect(ok.has(h.ordinal)).toBe(true);
        for (let j = 1; j < got.hits.length; j++)
          expect(got.hits[j - 1]!.score).toBeGreaterThanOrEqual(got.hits[j]!.score);
        const truth = new Set(want.hits.map((h) => h.ordinal));
        found += got.hits.filter((h) => truth.has(h.ordinal)).length;
        wanted += want.hits.length;
      }
    }
    expect(found / wanted).toBeGreaterThan(0.9);
  });

  it("keeps int8 codes in the graph by default, yet scores every hit exactly from the float32 rows", () => {
    const engine = createSearchEngine(index, { engine: "hnsw", graph: { threads: 1 } });
    for (let i = 0; i < 8; i++) {
      const q = query(i);
      const got = engine.search(q, { n: 10 });
      const exact = new Map(
        searchExactWithMatches(index, q, { n: COUNT }).hits.map((h) => [h.ordinal, h.score]),
      );
      for (const h of got.hits) expect(h.score).toBe(exact.get(h.ordinal));
    }
    // One byte per dimension plus ~2M links of 4 bytes, not a second float32 copy of every row.
    expect(engine.memory().graph).toBeLessThan(COUNT * (DIM * 2 + 2 * 16 * 4 + 16));
  });

  it("auto scans selective filters and uses the graph for broad ones", () => {
    const engine = createSearchEngine(index, { exactThreshold: 400, graph: { threads: 1 } });
    expect(engine.search(query(1), { n: 5, filter: { artist: ["artist150"] } }).plan).toMatch(/^scan/);
    expect(engine.search(query(1), { n: 5 }).plan).toMatch(/^hnsw/);
    expect(engine.search(query(1), { n: 5, filter: { culture: ["absent"] } })).toEqual({
      hits: [],
      matches: 0,
      plan: "none",
    });
  });

  it("caches the graph next to the index and extends it after an append", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mosaic-graph-"));
    dirs.push(dir);
    const small = syntheticIndex(vectors.slice(0, 2000 * DIM), DIM, FACETS, 4);
    const builds: string[] = [];
    const options = {
      engine: "hnsw" as const,
      indexDir: dir,
      graph: { threads: 1 },
      onBuild: (w: string) => builds.push(w),
    };
    const a = createSearchEngine(small, options);
    a.search(query(1), { n: 3 });
    expect(builds).toContain("hnsw graph built");
    expect(await readdir(dir)).toEqual(expect.arrayContaining(["hnsw.usearch", "hnsw.json"]));
    createSearchEngine(small, options).search(query(1), { n: 3 });
    expect(builds).toContain("hnsw graph loaded");
    createSearchEngine(index, options).search(query(1), { n: 3 });
    expect(builds).toContain("hnsw graph extended +1000");
    // An in-memory engine grows with add() too: new rows become reachable.
    const live = createSearchEngine(small, { engine: "hnsw", graph: { threads: 1 }, quantization: "int8" });
    live.search(query(1), { n: 3 });
    live.add(index);
    const target = 2500;
    const got = live.search(vectors.slice(target * DIM, (target + 1) * DIM), { n: 1 });
    expect(got.hits[0]?.ordinal).toBe(target);
    expect(live.memory().graph).toBeGreaterThan(0);
  });

  it("links per node grow with the index: M 16 up to 200k rows, M 32 at a million", () => {
    expect(connectivityFor(100_000)).toBe(16);
    expect(connectivityFor(200_000)).toBe(16);
    expect(connectivityFor(1_000_000)).toBe(32);
    expect(resolveGraphOptions({}, 1_000_000)).toMatchObject({ connectivity: 32, expansionSearch: 800 });
    expect(resolveGraphOptions({ connectivity: 8 }, 1_000_000).connectivity).toBe(8);
  });

  it("a broad filter on one large facet value searches that value's own sub-graph, cached and extended", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mosaic-subgraph-"));
    dirs.push(dir);
    const small = syntheticIndex(vectors.slice(0, 2000 * DIM), DIM, FACETS, 4);
    const builds: string[] = [];
    const options = {
      engine: "hnsw" as const,
      indexDir: dir,
      graph: { threads: 1, subgraphMinRows: 300, subgraphMinShare: 0.05 },
      onBuild: (w: string) => builds.push(w),
    };
    const filter = { culture: ["culture0"] };
    const engine = createSearchEngine(index, { ...options, indexDir: undefined });
    let found = 0;
    let wanted = 0;
    for (let i = 0; i < 12; i++) {
      const q = query(i);
      const got = engine.search(q, { n: 10, filter, excludeOrdinal: 5 });
      expect(got.plan).toMatch(/^hnsw\[culture=culture0\]\(k=/);
      const want = searchExactWithMatches(index, q, { n: 10, filter, excludeOrdinal: 5 });
      expect(got.matches).toBe(want.matches);
      expect(got.hits.length).toBe(10);
      for (const h of got.hits) expect(index.records[h.ordinal]!.facets.culture).toBe("culture0");
      const truth = new Set(want.hits.map((h) => h.ordinal));
      found += got.hits.filter((h) => truth.has(h.ordinal)).length;
      wanted += want.hits.length;
    }
    expect(found / wanted).toBeGreaterThan(0.95);
    // A value below the floor, several values, or a narrow AND inside the value: the whole graph or a scan.
    expect(engine.search(query(1), { n: 5, filter: { culture: ["culture11"] } }).plan).not.toMatch(/\[/);
    expect(engine.search(query(1), { n: 5, filter: { culture: ["culture0", "culture1"] } }).plan).not.toMatch(
      /\[/,
    );
    expect(
      engine.search(query(1), { n: 5, filter: { culture: ["culture0"], artist: ["artist0"] } }).plan,
    ).not.toMatch(/\[/);
    expect(engine.memory().subgraphs).toBeGreaterThan(0);

    createSearchEngine(small, options).search(query(1), { n: 3, filter });
    expect(builds).toContain("hnsw sub-graph culture=culture0 built");
    expect((await readdir(dir)).filter((f) => /^hnsw-[0-9a-f]{16}\.(usearch|json)$/.test(f))).toHaveLength(2);
    createSearchEngine(small, options).search(query(1), { n: 3, filter });
    expect(builds).toContain("hnsw sub-graph culture=culture0 loaded");
    // After an append the sub-graph takes the value's new rows, so they are found.
    const live = createSearchEngine(small, options);
    live.search(query(1), { n: 3, filter });
    live.add(index);
    expect(builds).toContain("hnsw sub-graph culture=culture0 extend");
    const target = index.postings
      .get("culture")!
      .get("culture0")!
      .find((o) => o >= 2000)!;
    const got = live.search(vectors.slice(target * DIM, (target + 1) * DIM), { n: 1, filter });
    expect(got.hits[0]?.ordinal).toBe(target);
    createSearchEngine(index, options).search(query(1), { n: 3, filter });
    expect(builds).toContain("hnsw sub-graph culture=culture0 loaded");
  });

  it("a cached graph built with other options (older defaults) is rebuilt with a notice; its own options load it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mosaic-graph-compat-"));
    dirs.push(dir);
    const builds: string[] = [];
    const notices: string[] = [];
    const open = (graph: { connectivity?: number }) =>
      createSearchEngine(index, {
        engine: "hnsw",
        indexDir: dir,
        graph: { threads: 1, ...graph },
        onBuild: (w) => builds.push(w),
        onNotice: (t) => notices.push(t),
      }).search(query(1), { n: 3 });
    open({ connectivity: 16 });
    // A sidecar as the previous release wrote it (no sub-graph options): still trusted.
    const metaPath = join(dir, "hnsw.json");
    const meta = JSON.parse(await readFile(metaPath, "utf8"));
    delete meta.options.subgraphMinRows;
    delete meta.options.subgraphMinShare;
    await writeFile(metaPath, JSON.stringify(meta));
    open({ connectivity: 16 });
    expect(builds).toEqual(["hnsw graph built", "hnsw graph loaded"]);
    expect(notices).toEqual([]);
    open({ connectivity: 32 });
    expect(builds.at(-1)).toBe("hnsw graph built");
    expect(notices).toEqual([
      `Search graph ${join(dir, "hnsw.usearch")} was built with connectivity 16, not connectivity 32; discarding it and rebuilding.`,
    ]);
    open({ connectivity: 32 });
    expect(builds.at(-1)).toBe("hnsw graph loaded");
    expect(notices).toHaveLength(1);
  });

  it("rejects bad queries like searchExact", () => {
    const engine = createSearchEngine(index);
    expect(() => engine.search(new Float32Array(3), { n: 1 })).toThrow(/dimensions/);
    expect(() => engine.search(query(1), { n: -1 })).toThrow(/Invalid result count/);
    expect(() => engine.search(query(1), { n: 1, filter: { nope: ["x"] } })).toThrow(/Unknown filter field/);
  });
});
