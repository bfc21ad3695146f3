import { describe, expect, it } from "vitest";
import { loadTransform, storeTransform } from "../../src/model/collection-postprocess.js";
import { applyTransform, fitTransform } from "../../src/model/collection-transform.js";
import { dbaAll, dbaAppend } from "../../src/model/dba.js";
import { symmetricEigen, symmetricEigenTop } from "../../src/model/symmetric-eigen.js";
import type { TransformRecipe } from "../../src/model/transform-recipe.js";
import { prng } from "../../src/prng.js";

const RECIPE: TransformRecipe = {
  kind: "pw",
  blocks: [
    { dim: 10, k: 6, weight: 1 },
    { dim: 6, k: 3, weight: 0.4 },
  ],
  shrink: 0.3,
  power: 0.375,
  dba: { k: 3 },
};

/** Non-negative rows with a few strong shared directions, like pooled CNN features. */
function rawRows(n: number, dim: number, seed: number): Float32Array {
  const rand = prng(seed);
  const basis = Array.from({ length: 3 }, () => Float64Array.from({ length: dim }, () => rand()));
  const out = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) {
    const w = basis.map(() => rand() * 3);
    for (let j = 0; j < dim; j++) out[r * dim + j] = basis.reduce((s, b, i) => s + w[i]! * b[j]!, rand());
  }
  return out;
}

const dotRows = (a: Float32Array, i: number, j: number, d: number) => {
  let s = 0;
  for (let t = 0; t < d; t++) s += a[i * d + t]! * a[j * d + t]!;
  return s;
};

describe("symmetricEigen", () => {
  it("returns descending eigenpairs with A·v = λ·v", () => {
    const n = 7;
    const rand = prng(3);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rand() * 2 - 1;
    const { values, vectors } = symmetricEigen(a, n);
    for (let e = 0; e < n; e++) {
      if (e > 0) expect(values[e]!).toBeLessThanOrEqual(values[e - 1]!);
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a[i * n + j]! * vectors[e * n + j]!;
        expect(av).toBeCloseTo(values[e]! * vectors[e * n + i]!, 10);
      }
    }
  });

  it("the top-k path gives the full decomposition's leading pairs, orthonormal, also for repeated eigenvalues", () => {
    const n = 40;
    const rand = prng(9);
    // A covariance with a repeated eigenvalue (two equal directions) and a long decaying tail.
    const basis = symmetricEigen(
      Float64Array.from({ length: n * n }, (_, i) => ((i % n) * Math.floor(i / n)) % 7),
      n,
    ).vectors;
    const lambdas = Array.from(
      { length: n },
      (_, i) => (i === 1 ? 5 : 5 / (1 + i)) + rand() * 1e-3 * (i > 1 ? 1 : 0),
    );
    lambdas[0] = 5;
    const a = new Float64Array(n * n);
    for (let e = 0; e < n; e++)
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) a[i * n + j]! += lambdas[e]! * basis[e * n + i]! * basis[e * n + j]!;
    const full = symmetricEigen(a, n);
    const top = symmetricEigenTop(a, n, 12);
    for (let r = 0; r < 12; r++) {
      expect(top.values[r]!).toBeCloseTo(full.values[r]!, 10);
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a[i * n + j]! * top.vectors[r * n + j]!;
        expect(av).toBeCloseTo(top.values[r]! * top.vectors[r * n + i]!, 8);
      }
      for (let q = 0; q <= r; q++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += top.vectors[r * n + i]! * top.vectors[q * n + i]!;
        expect(s).toBeCloseTo(q === r ? 1 : 0, 8);
      }
    }
  });
});

describe("collection transform", () => {
  it("whitens: unit rows, and the collection's mean direction no longer dominates the scores", () => {
    const n = 60;
    const raw = rawRows(n, 16, 1);
    const fit = fitTransform(RECIPE, raw, n);
    expect(fit.outDim).toBe(9);
    const w = applyTransform(fit, raw, n);
    const cos = (v: Float32Array, d: number) => {
      let s = 0;
      for (let i = 1; i < n; i++)
        s += dotRows(v, 0, i, d) / Math.sqrt(dotRows(v, 0, 0, d) * dotRows(v, i, i, d));
      return s / (n - 1);
    };
    for (let r = 0; r < n; r++) expect(dotRows(w, r, r, 9)).toBeCloseTo(1, 5);
    // Non-negative features: every cosine is high before, spread around 0 after.
    expect(cos(raw, 16)).toBeGreaterThan(0.8);
    expect(Math.abs(cos(w, 9))).toBeLessThan(0.2);
  });

  it("round-trips through its stored form and applies identically", () => {
    const raw = rawRows(40, 16, 2);
    const fit = fitTransform(RECIPE, raw, 40);
    const stored = storeTransform(fit, RECIPE.dba, "collection");
    expect(stored.header).toMatchObject({ inDim: 16, outDim: 9, fittedOn: 40, dba: { k: 3 } });
    const again = loadTransform({ header: stored.header, params: Float32Array.from(stored.params) });
    expect(applyTransform(again, raw, 40)).toEqual(applyTransform(fit, raw, 40));
  });

  it("fits the same whitening through the Gram matrix when rows are fewer than dimensions", () => {
    const wide: TransformRecipe = { ...RECIPE, blocks: [{ dim: 16, k: 5, weight: 1 }] };
    const raw = rawRows(12, 16, 6);
    const viaGram = fitTransform(wide, raw, 12);
    // Every row twice: the same mean and covariance, but 24 ≥ 16 rows takes the covariance path.
    const doubled = new Float32Array(24 * 16);
    doubled.set(raw);
    doubled.set(raw, 12 * 16);
    const viaCov = fitTransform(wide, doubled, 24);
    const a = applyTransform(viaGram, raw, 12);
    const b = applyTransform(viaCov, raw, 12);
    for (let i = 0; i < a.length; i++) expect(a[i]!).toBeCloseTo(b[i]!, 5);
  });

  it("caps components at n−1 and survives a one-row collection", () => {
    const fit = fitTransform(RECIPE, rawRows(4, 16, 3), 4);
    expect(fit.blocks.map((b) => b.k)).toEqual([3, 3]);
    const one = applyTransform(fitTransform(RECIPE, rawRows(1, 16, 4), 1), rawRows(1, 16, 4), 1);
    expect(one.every(Number.isFinite)).toBe(true);
  });
});

describe("DBA", () => {
  it("an append recomputes only displaced rows and equals DBA over everything", () => {
    const dim = 9;
    const n = 50;
    const fit = fitTransform(RECIPE, rawRows(n, 16, 5), n);
    const w = applyTransform(fit, rawRows(n, 16, 5), n);
    const full = dbaAll(w, n, dim, 3);
    const base = dbaAll(w.subarray(0, 40 * dim), 40, dim, 3);
    const appended = dbaAppend(w, n, dim, 3, { count: 40, ...base });
    expect(appended.changed).toBeGreaterThan(0);
    expect(appended.changed).toBeLessThan(40);
    for (let i = 0; i < n * dim; i++) expect(appended.vectors[i]!).toBeCloseTo(full.vectors[i]!, 6);
    expect(Array.from(appended.kth)).toEqual(Array.from(full.kth));
  });
});
