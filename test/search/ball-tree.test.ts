import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConditionalBallTree } from "../../src/search/ball-tree.js";
import { bruteForce, clusteredVectors, rng } from "./synthetic.js";

const DIM = 24;
const COUNT = 1500;
const vectors = clusteredVectors(COUNT, DIM, 12, 7);
// Exact duplicates of earlier rows make ties that only the ordinal can break.
for (let p = 0; p < 40; p++) vectors.copyWithin((COUNT - 1 - p) * DIM, p * 7 * DIM, (p * 7 + 1) * DIM);
const r = rng(11);
const NAMES = Array.from({ length: 20 }, (_, i) => `L${i}`);
const labels = Array.from({ length: COUNT }, () =>
  NAMES.filter((_, i) => r() < 0.25 / (i + 1) + (i === 0 ? 0.3 : 0)),
);
const tree = ConditionalBallTree.build(vectors, DIM, labels);
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function randomQuery(seed: number): Float32Array {
  const q = new Float32Array(DIM);
  const qr = rng(seed);
  if (seed % 3 === 0) q.set(vectors.subarray((seed % COUNT) * DIM, ((seed % COUNT) + 1) * DIM));
  else for (let d = 0; d < DIM; d++) q[d] = qr() - 0.5;
  return q;
}

function expectSame(got: { index: number; distance: number }[], want: { ordinal: number; score: number }[]) {
  expect(got.map((m) => m.index)).toEqual(want.map((w) => w.ordinal));
  expect(got.map((m) => m.distance)).toEqual(want.map((w) => w.score));
}

describe("ConditionalBallTree", () => {
  it("has leaves of at most 50 points and covers every point once", () => {
    const t = tree.data;
    const seen = new Uint8Array(COUNT);
    for (let n = 0; n < t.radii.length; n++) {
      if (t.left[n]! >= 0) continue;
      expect(t.end[n]! - t.start[n]!).toBeLessThanOrEqual(50);
      for (let i = t.start[n]!; i < t.end[n]!; i++) seen[t.perm[i]!]!++;
    }
    expect(seen.every((c) => c === 1)).toBe(true);
  });

  it("matches brute force without labels", () => {
    for (let s = 0; s < 30; s++) {
      const q = randomQuery(s);
      for (const k of [1, 10, 75])
        expectSame(
          tree.findMaximumInnerProducts(q, undefined, k),
          bruteForce(vectors, DIM, q, k, () => true),
        );
    }
  });

  it("matches brute force for random label sets, absent labels, all labels and k > matches", () => {
    for (let s = 0; s < 60; s++) {
      const q = randomQuery(1000 + s);
      const pick = NAMES.filter(() => r() < 0.15);
      const sets = [pick, [...pick, "absent"], ["absent"], NAMES, [NAMES[19]!]];
      for (const set of sets) {
        const want = new Set(set);
        const ok = (o: number) => labels[o]!.some((l) => want.has(l));
        for (const k of [3, 20, COUNT + 5]) {
          expectSame(tree.findMaximumInnerProducts(q, set, k), bruteForce(vectors, DIM, q, k, ok));
        }
      }
    }
  });

  it("applies an extra accept predicate in the leaves", () => {
    const q = randomQuery(5);
    const ok = (o: number) => o % 3 === 0 && labels[o]!.includes("L0");
    expectSame(
      tree.findMaximumInnerProducts(q, ["L0"], 25, { accept: (o) => o % 3 === 0 }),
      bruteForce(vectors, DIM, q, 25, ok),
    );
  });

  it("is deterministic and survives save/load", async () => {
    const again = ConditionalBallTree.build(vectors, DIM, labels);
    expect(again.data.perm).toEqual(tree.data.perm);
    const dir = await mkdtemp(join(tmpdir(), "mosaic-bt-"));
    dirs.push(dir);
    tree.save(join(dir, "tree.bin"));
    const loaded = ConditionalBallTree.load(join(dir, "tree.bin"), vectors);
    expect(loaded.data).toEqual(tree.data);
    const q = randomQuery(9);
    expect(loaded.findMaximumInnerProducts(q, ["L1", "L2"], 10)).toEqual(
      tree.findMaximumInnerProducts(q, ["L1", "L2"], 10),
    );
  });

  it("handles empty input and k = 0", () => {
    const empty = ConditionalBallTree.build(new Float32Array(0), DIM, []);
    expect(empty.findMaximumInnerProducts(new Float32Array(DIM), undefined, 5)).toEqual([]);
    expect(tree.findMaximumInnerProducts(randomQuery(1), undefined, 0)).toEqual([]);
  });
});
