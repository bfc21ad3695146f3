import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { evaluatePrecisionAtK } from "../../src/search/eval.js";
import { evalExamples } from "../../src/search/eval-examples.js";
import { searchExact } from "../../src/search/search-exact.js";
import { loadIndex } from "../../src/vector-index/load-index.js";
import type { VectorIndex } from "../../src/vector-index/types.js";
import { writeIndex } from "../../src/vector-index/write-index.js";
import { model, randomData, tempDir } from "../vector-index/helpers.js";

let cleanup: () => Promise<void>;
let root: string;
let tiny: VectorIndex;

/**
 * Unit vectors on a circle; similarity falls with the angle between them. Nearest others:
 * a0→a10,b25 · a10→a0,b25 · b25→a10,a0 · b100→?104,b110 · b110→?104,b100 · c200→b110,b100.
 */
const points: [id: string, label: string, degrees: number][] = [
  ["a0", "A", 0],
  ["a10", "a", 10],
  ["b25", "b", 25],
  ["b100", "b", 100],
  ["b110", "b", 110],
  ["u104", "", 104],
  ["c200", "c", 200],
];

beforeAll(async () => {
  ({ root, cleanup } = await tempDir());
  const dir = join(root, "tiny");
  await writeIndex(dir, {
    model: model(2),
    facets: ["label"],
    records: points.map(([id, label]) => ({
      id,
      image: "",
      facets: { label },
      meta: { shelf: label.toUpperCase() },
    })),
    vectors: points.map(([, , deg]) => [Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180)]),
  });
  tiny = await loadIndex(dir);
});
afterAll(() => cleanup());

describe("evaluatePrecisionAtK", () => {
  it("reports precision per label with each label's random baseline", () => {
    const r = evaluatePrecisionAtK(tiny, { label: "label", k: 1, labelTransform: lower });
    const byValue = Object.fromEntries(r.perLabel.map((row) => [row.value, row]));
    // a0↔a10 find each other; b25→a10, b100/b110→u104 (unlabelled), c200→b110 all miss.
    expect(byValue.a).toEqual({ value: "a", count: 2, precision: 1, randomBaseline: 1 / 6 });
    expect(byValue.b).toEqual({ value: "b", count: 3, precision: 0, randomBaseline: 2 / 6 });
    expect(byValue.c).toEqual({ value: "c", count: 1, precision: 0, randomBaseline: 0 });
    const weighted = r.perLabel.reduce((sum, row) => sum + row.precision * row.count, 0) / r.evaluated;
    expect(weighted).toBeCloseTo(r.precision, 12);
  });

  it("picks example rows: the first artwork of each commonest label and its k neighbours, marked", () => {
    const rows = evalExamples(tiny, { label: "shelf", k: 2, rows: 2 });
    const ids = (o: number) => tiny.records[o]!.id;
    expect(rows.map((r) => [ids(r.ordinal), r.label])).toEqual([
      ["b25", "B"],
      ["a0", "A"],
    ]);
    expect(rows[0]!.neighbours.map((n) => [ids(n.ordinal), n.label, n.correct])).toEqual([
      ["a10", "A", false],
      ["a0", "A", false],
    ]);
    expect(rows[1]!.neighbours.map((n) => [ids(n.ordinal), n.correct])).toEqual([
      ["a10", true],
      ["b25", false],
    ]);
    // Same neighbours as a leave-one-out exact search.
    const exact = searchExact(tiny, tiny.vectors.subarray(0, 2), { n: 2, excludeOrdinal: 0 });
    expect(rows[1]!.neighbours.map((n) => n.ordinal)).toEqual(exact.map((h) => h.ordinal));
  });

  const lower = (s: string) => s.toLowerCase();
  const cos = (deg: number) => Math.cos((deg * Math.PI) / 180);

  it("reports precision per label and the median scores of best matches and random pairs", () => {
    const r = evaluatePrecisionAtK(tiny, { label: "label", k: 1, labelTransform: lower });
    expect(r.perLabel.map(({ value, count, precision }) => ({ value, count, precision }))).toEqual([
      { value: "a", count: 2, precision: 1 },
      { value: "b", count: 3, precision: 0 },
      { value: "c", count: 1, precision: 0 },
    ]);
    // Best-match scores: a0, a10 cos10 · b25 cos15 · b100 cos4 · b110 cos6 · c200 cos90.
    expect(r.scores.rank1).toBeCloseTo(cos(10), 6);
    expect(r.scores.deepRank).toBe(6);
    expect(r.scores.spread).toBeCloseTo(r.scores.rank1 - r.scores.random, 12);
    expect(r.scores.random).toBeLessThan(r.scores.rank1);
  });

  it("--exclude-same: neighbours sharing the query's value of another column are not counted", () => {
    // shelf is the upper-cased label: every same-label neighbour is also a same-shelf one.
    const r = evaluatePrecisionAtK(tiny, {
      label: "label",
      k: 1,
      labelTransform: lower,
      excludeSame: "shelf",
    });
    expect(r.precision).toBe(0);
    expect(r.excludeSame).toBe("shelf");
    // The score distribution still describes the index itself.
    expect(r.scores.rank1).toBeCloseTo(cos(10), 6);
    expect(() => evaluatePrecisionAtK(tiny, { label: "label", k: 1, excludeSame: "nope" })).toThrow(
      /Unknown label "nope"/,
    );
  });
  // Label counts a=2, b=3, c=1 over N=7: baseline = mean(1/6, 1/6, 2/6, 2/6, 2/6, 0) = 2/9.
  it("computes precision@1 and the exact random baseline on a hand-made index", () => {
    const r = evaluatePrecisionAtK(tiny, { label: "label", k: 1, labelTransform: lower });
    expect(r).toMatchObject({ label: "label", k: 1, evaluated: 6, skipped: 1 });
    expect(r.precision).toBeCloseTo(2 / 6, 12); // a0 and a10 find each other; nobody else hits
    expect(r.randomBaseline).toBeCloseTo(2 / 9, 12);
  });

  it("counts unlabelled items as (wrong) neighbours at k=2", () => {
    const r = evaluatePrecisionAtK(tiny, { label: "label", k: 2, labelTransform: lower });
    expect(r.precision).toBeCloseTo(2 / 6, 12); // a0, a10, b100, b110 score 1/2 each
    expect(r.randomBaseline).toBeCloseTo(2 / 9, 12);
  });

  it("compares labels verbatim without a transform, and reads meta columns", () => {
    expect(evaluatePrecisionAtK(tiny, { label: "label", k: 1 }).precision).toBe(0);
    const meta = evaluatePrecisionAtK(tiny, { label: "shelf", k: 1 });
    expect(meta.precision).toBeCloseTo(2 / 6, 12);
    expect(meta.evaluated).toBe(6);
  });

  it("clamps k to N-1 and rejects unknown labels and bad k", () => {
    const r = evaluatePrecisionAtK(tiny, { label: "label", k: 50, labelTransform: lower });
    expect(r.k).toBe(6);
    expect(r.precision).toBeCloseTo(r.randomBaseline, 12); // everyone is a neighbour: precision = baseline
    expect(() => evaluatePrecisionAtK(tiny, { label: "century", k: 1 })).toThrow(UsageError);
    expect(() => evaluatePrecisionAtK(tiny, { label: "century", k: 1 })).toThrow(/century/);
    expect(() => evaluatePrecisionAtK(tiny, { label: "label", k: 0 })).toThrow(UsageError);
  });

  it("equals leave-one-out searchExact on random data (blocked, symmetric loop is exact)", async () => {
    const dim = 300; // > BLOCK_FLOATS/dim boundary: several blocks of 109 rows
    const dir = join(root, "random");
    await writeIndex(dir, { model: model(dim), facets: ["culture"], ...randomData(260, dim, 41) });
    const index = await loadIndex(dir);
    const k = 5;
    let sum = 0;
    let evaluated = 0;
    for (let o = 0; o < index.count; o++) {
      const mine = index.records[o]!.facets.culture;
      if (!mine) continue;
      const q = index.vectors.subarray(o * dim, (o + 1) * dim);
      const hits = searchExact(index, q, { n: k, excludeOrdinal: o });
      sum += hits.filter((h) => index.records[h.ordinal]!.facets.culture === mine).length / k;
      evaluated++;
    }
    const progress: number[] = [];
    const r = evaluatePrecisionAtK(index, { label: "culture", k, onProgress: (done) => progress.push(done) });
    expect(r.evaluated).toBe(evaluated);
    expect(r.precision).toBe(sum / evaluated);
    expect(progress.at(-1)).toBe(260);
  });

  it("stops when the signal fires", () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => evaluatePrecisionAtK(tiny, { label: "label", k: 1, signal: controller.signal })).toThrow(
      /Interrupted/,
    );
  });
});
