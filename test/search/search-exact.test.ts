import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { dot, dot4 } from "../../src/search/dot.js";
import { facetValues } from "../../src/vector-index/facet-values.js";
import { loadIndex } from "../../src/vector-index/load-index.js";
import { l2normalize } from "../../src/vector-index/normalize.js";
import { parseFilter } from "../../src/search/parse-filter.js";
import { searchExact, searchExactWithMatches } from "../../src/search/search-exact.js";
import type { Filter, SearchHit, VectorIndex } from "../../src/vector-index/types.js";
import { writeIndex } from "../../src/vector-index/write-index.js";
import { CULTURES, KINDS, model, prng, randomData, tempDir } from "../vector-index/helpers.js";

let cleanup: () => Promise<void>;
let root: string;
beforeAll(async () => ({ root, cleanup } = await tempDir()));
afterAll(() => cleanup());

async function build(name: string, data: ReturnType<typeof randomData>, dim: number): Promise<VectorIndex> {
  const dir = join(root, name);
  await writeIndex(dir, { model: model(dim), facets: ["culture", "kind"], ...data });
  return loadIndex(dir);
}

/** The obvious implementation: score everything that passes the filter, sort it all. */
function naive(
  index: VectorIndex,
  query: Float32Array,
  n: number,
  filter: Filter,
  exclude?: number,
): SearchHit[] {
  const q = l2normalize(query);
  const hits: SearchHit[] = [];
  for (let o = 0; o < index.count; o++) {
    const r = index.records[o]!;
    if (o === exclude) continue;
    if (!Object.entries(filter).every(([f, vs]) => vs.includes(r.facets[f] ?? ""))) continue;
    let s = 0;
    for (let i = 0; i < index.dim; i++) s += q[i]! * index.vectors[o * index.dim + i]!;
    hits.push({ ordinal: o, id: r.id, score: s });
  }
  hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  return hits.slice(0, n);
}

describe("searchExact", () => {
  it("matches brute force on random data with random filters", async () => {
    const dim = 13;
    const index = await build("random", randomData(300, dim, 11), dim);
    const rand = prng(99);
    const pickSome = (xs: string[]) => xs.filter(() => rand() < 0.4);
    for (let trial = 0; trial < 200; trial++) {
      const query = Float32Array.from({ length: dim }, () => rand() * 2 - 1);
      const filter: Filter = {};
      if (rand() < 0.6)
        filter.culture = [...pickSome(CULTURES.filter(Boolean)), ...(rand() < 0.1 ? ["atlantis"] : [])];
      if (rand() < 0.4) filter.kind = pickSome(KINDS);
      const n = Math.floor(rand() * 40);
      const exclude = rand() < 0.3 ? Math.floor(rand() * 300) : undefined;
      const got = searchExactWithMatches(index, query, { n, filter, excludeOrdinal: exclude });
      const want = naive(index, query, n, filter, exclude);
      const all = naive(index, query, Number.MAX_SAFE_INTEGER, filter, exclude);
      expect(got.matches).toBe(all.length);
      expect(got.hits.length).toBe(Math.min(n, all.length));
      // dot/dot4 sum in the same order as this naive loop, so even scores match exactly.
      expect(got.hits).toEqual(want);
      for (let i = 1; i < got.hits.length; i++)
        expect(got.hits[i]!.score).toBeLessThanOrEqual(got.hits[i - 1]!.score);
    }
  });

  it("breaks score ties by id ascending, whatever the ordinal order", async () => {
    const ids = ["m", "c", "x", "a", "k"];
    const records = ids.map((id) => ({ id, image: "", facets: { kind: "same" }, meta: {} }));
    const vectors = ids.map(() => [1, 1, 0]);
    vectors.push([1, 0, 0]);
    records.push({ id: "0-other", image: "", facets: { kind: "same" }, meta: {} });
    const dir = join(root, "ties");
    await writeIndex(dir, { model: model(3), facets: ["kind"], records, vectors });
    const index = await loadIndex(dir);
    expect(searchExact(index, new Float32Array([1, 1, 0]), { n: 3 }).map((h) => h.id)).toEqual([
      "a",
      "c",
      "k",
    ]);
    expect(searchExact(index, new Float32Array([1, 1, 0]), { n: 10 }).map((h) => h.id)).toEqual([
      "a",
      "c",
      "k",
      "m",
      "x",
      "0-other",
    ]);
  });

  it("always returns min(n, matches), and nothing for n = 0 or no matches", async () => {
    const index = await build("small", randomData(20, 4, 5), 4);
    const q = new Float32Array([1, 0, 0, 0]);
    const dutch = index.records.filter((r) => r.facets.culture === "dutch").length;
    expect(dutch).toBeGreaterThan(0);
    expect(searchExact(index, q, { n: 100, filter: { culture: ["dutch"] } })).toHaveLength(dutch);
    expect(searchExact(index, q, { n: 100 })).toHaveLength(20);
    expect(searchExact(index, q, { n: 5 })).toHaveLength(5);
    expect(searchExact(index, q, { n: 0 })).toEqual([]);
    expect(searchExact(index, q, { n: 5, filter: { culture: ["atlantis"] } })).toEqual([]);
    expect(searchExact(index, q, { n: 5, filter: {} })).toHaveLength(5);
  });

  it("ANDs fields and ORs values within a field", async () => {
    const index = await build("andor", randomData(200, 4, 6), 4);
    const hits = searchExact(index, new Float32Array([0, 1, 0, 0]), {
      n: 1000,
      filter: { culture: ["dutch", "french"], kind: ["print"] },
    });
    const want = index.records.filter(
      (r) => ["dutch", "french"].includes(r.facets.culture!) && r.facets.kind === "print",
    );
    expect(hits.map((h) => h.id).sort()).toEqual(want.map((r) => r.id).sort());
  });

  it("normalizes the query, so scores are cosines", async () => {
    const index = await build("cos", randomData(10, 4, 8), 4);
    const v = index.vectors.subarray(0, 4);
    const [top] = searchExact(
      index,
      Float32Array.from(v, (x) => x * 7),
      { n: 1 },
    );
    expect(top!.ordinal).toBe(0);
    expect(top!.score).toBeCloseTo(1, 6);
    const [next] = searchExact(index, v, { n: 1, excludeOrdinal: 0 });
    expect(next!.ordinal).not.toBe(0);
  });

  it("rejects unknown facets (listing the real ones), wrong dims and NaN", async () => {
    const index = await build("errors", randomData(5, 4, 9), 4);
    const q = new Float32Array(4);
    expect(() => searchExact(index, q, { n: 1, filter: { century: ["19th"] } })).toThrow(UsageError);
    expect(() => searchExact(index, q, { n: 1, filter: { century: ["19th"] } })).toThrow(
      /facets: culture, kind/,
    );
    expect(() => searchExact(index, new Float32Array(3), { n: 1 })).toThrow(/3 dimensions/);
    expect(() => searchExact(index, new Float32Array([Number.NaN, 0, 0, 0]), { n: 1 })).toThrow(/NaN/);
    expect(() => searchExact(index, q, { n: -1 })).toThrow(UsageError);
  });
});

describe("dot", () => {
  it("dot and dot4 equal a plain loop exactly, for any length and offset", () => {
    const rand = prng(3);
    const a = Float32Array.from({ length: 40 }, () => rand() - 0.5);
    const b = Float32Array.from({ length: 40 }, () => rand() - 0.5);
    for (let dim = 0; dim <= 9; dim++) {
      let want = 0;
      for (let i = 0; i < dim; i++) want += a[3 + i]! * b[11 + i]!;
      expect(dot(a, 3, b, 11, dim)).toBe(want);
      const out = new Float64Array(4);
      dot4(a, 3, b, 11, 0, 20, 11, dim, out);
      expect(out[0]).toBe(want);
      expect(out[3]).toBe(want);
      expect(out[1]).toBe(dot(a, 3, b, 0, dim));
    }
  });
});

describe("parseFilter", () => {
  it("parses field=value, OR lists, repeats and '=' inside values", () => {
    expect(parseFilter([])).toEqual({});
    expect(parseFilter(["culture=dutch", "kind=print,vase", "culture=french", "title=a=b"])).toEqual({
      culture: ["dutch", "french"],
      kind: ["print", "vase"],
      title: ["a=b"],
    });
    expect(parseFilter(["place=Paris\\, France,Lyon"])).toEqual({ place: ["Paris, France", "Lyon"] });
  });

  it("treats __proto__ as a plain field name", () => {
    const filter = parseFilter(["__proto__=x", "constructor=y"]);
    expect(Object.keys(filter)).toEqual(["__proto__", "constructor"]);
    expect(filter.constructor).toEqual(["y"]);
  });

  it.each(["culture", "=dutch", "culture=", "culture=a,,b"])("rejects %j with a usage hint", (bad) => {
    expect(() => parseFilter([bad])).toThrow(UsageError);
  });
});

describe("facetValues", () => {
  it("lists values with counts, most common first", async () => {
    const records = ["b", "a", "b", "c", "a", "b", ""].map((v, i) => ({
      id: `${i}`,
      image: "",
      facets: { c: v },
      meta: {},
    }));
    const dir = join(root, "facets");
    await writeIndex(dir, { model: model(2), facets: ["c"], records, vectors: records.map(() => [1, 0]) });
    const index = await loadIndex(dir);
    expect(facetValues(index, "c")).toEqual([
      { value: "b", count: 3 },
      { value: "a", count: 2 },
      { value: "c", count: 1 },
    ]);
    expect(() => facetValues(index, "nope")).toThrow(/Unknown facet "nope"; this index has: c/);
  });
});
