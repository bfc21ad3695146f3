import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appendToIndex } from "../../src/vector-index/append-to-index.js";
import { loadIndex } from "../../src/vector-index/load-index.js";
import { mergeIndexes } from "../../src/vector-index/merge-indexes.js";
import { readRawVectors } from "../../src/vector-index/read-index-files.js";
import { writeIndex } from "../../src/vector-index/write-index.js";
import { collectionPostprocess, loadTransform } from "../../src/model/collection-postprocess.js";
import { applyTransform, fitTransform } from "../../src/model/collection-transform.js";
import { dbaAll } from "../../src/model/dba.js";
import type { TransformRecipe } from "../../src/model/transform-recipe.js";
import { model, randomData, tempDir } from "./helpers.js";

const RECIPE: TransformRecipe = {
  kind: "pw",
  blocks: [
    { dim: 8, k: 5, weight: 1 },
    { dim: 4, k: 2, weight: 0.4 },
  ],
  shrink: 0.3,
  power: 0.375,
  dba: { k: 3 },
};
const RAW_DIM = 12;
const OUT_DIM = 7;

/** Raw rows as one flat array, L2-normalized as the writer stores them. */
function flat(vectors: Float32Array[]): Float32Array {
  const out = new Float32Array(vectors.length * RAW_DIM);
  vectors.forEach((v, i) => {
    const norm = Math.hypot(...v);
    out.set(
      v.map((x) => x / norm),
      i * RAW_DIM,
    );
  });
  return out;
}

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ root, cleanup } = await tempDir()));
afterEach(() => cleanup());

async function build(dir: string, count: number, seed: number, prefix = "r") {
  const data = randomData(count, RAW_DIM, seed, prefix);
  await writeIndex(dir, {
    model: model(RAW_DIM),
    facets: ["culture"],
    records: data.records,
    vectors: data.vectors,
    postprocess: collectionPostprocess(RECIPE),
  });
  return data;
}

describe("an index with a collection-fitted transform (format v2)", () => {
  it("stores the fit, the raw rows and the DBA'd vectors, and loads them back", async () => {
    const dir = join(root, "idx");
    const data = await build(dir, 30, 1);
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({ version: 2, dim: OUT_DIM, model: { dim: RAW_DIM } });
    expect(manifest.transform).toMatchObject({ kind: "pw", inDim: RAW_DIM, outDim: OUT_DIM, fittedOn: 30 });
    expect(Object.keys(manifest.files).sort()).toEqual(
      ["dba.f32", "postings.json", "raw.f32", "records.jsonl", "transform.f32", "vectors.f32"].sort(),
    );

    const index = await loadIndex(dir);
    const raw = flat(data.vectors);
    expect(await readRawVectors(dir, index.manifest, true)).toEqual(raw);
    const fit = fitTransform(RECIPE, raw, 30);
    const stored = loadTransform(index.transform!);
    expect(stored.blocks.map((b) => Array.from(b.proj))).toEqual(fit.blocks.map((b) => Array.from(b.proj)));
    const expected = dbaAll(applyTransform(fit, raw, 30), 30, OUT_DIM, 3).vectors;
    for (let i = 0; i < expected.length; i++) expect(index.vectors[i]!).toBeCloseTo(expected[i]!, 6);
  });

  it("--append applies the stored transform to new rows and updates DBA as a full rebuild would", async () => {
    const dir = join(root, "idx");
    const first = await build(dir, 30, 2);
    const before = await loadIndex(dir);
    const more = randomData(10, RAW_DIM, 3, "s");
    // A different recipe offered at append time must not replace the stored fit.
    await appendToIndex(dir, more.records, more.vectors, {
      postprocess: collectionPostprocess({ ...RECIPE, power: 1 }),
    });
    const after = await loadIndex(dir);
    expect(after.count).toBe(40);
    expect(after.manifest.transform).toEqual(before.manifest.transform);
    expect(after.transform!.params).toEqual(before.transform!.params);
    const raw = flat([...first.vectors, ...more.vectors]);
    const w = applyTransform(loadTransform(before.transform!), raw, 40);
    const expected = dbaAll(w, 40, OUT_DIM, 3).vectors;
    for (let i = 0; i < expected.length; i++) expect(after.vectors[i]!).toBeCloseTo(expected[i]!, 6);
  });

  it("refuses an append that brings no post-processing instead of mixing raw and transformed rows", async () => {
    const dir = join(root, "idx");
    await build(dir, 20, 4);
    const more = randomData(2, RAW_DIM, 5, "s");
    await expect(appendToIndex(dir, more.records, more.vectors)).rejects.toThrow(/transformed vectors/);
  });

  it("merge re-applies the first part's fit, or refits on all rows", async () => {
    const a = await build(join(root, "a"), 20, 6, "a");
    const b = await build(join(root, "b"), 20, 7, "b");
    const first = await loadIndex(join(root, "a"));
    const raw = flat([...a.vectors, ...b.vectors]);
    await mergeIndexes([join(root, "a"), join(root, "b")], join(root, "kept"), {
      postprocessFor: (stored) => collectionPostprocess(RECIPE, { fixed: stored }),
    });
    const kept = await loadIndex(join(root, "kept"));
    expect(kept.transform!.params).toEqual(first.transform!.params);
    await mergeIndexes([join(root, "a"), join(root, "b")], join(root, "refit"), {
      postprocessFor: () => collectionPostprocess(RECIPE),
    });
    const refit = await loadIndex(join(root, "refit"));
    expect(refit.manifest.transform!.fittedOn).toBe(40);
    const w = applyTransform(fitTransform(RECIPE, raw, 40), raw, 40);
    const expected = dbaAll(w, 40, OUT_DIM, 3).vectors;
    for (let i = 0; i < expected.length; i++) expect(refit.vectors[i]!).toBeCloseTo(expected[i]!, 6);
  });

  it("an index without a transform is still written and read as format v1", async () => {
    const dir = join(root, "v1");
    const data = randomData(5, RAW_DIM, 8);
    await writeIndex(dir, {
      model: model(RAW_DIM),
      facets: ["culture"],
      records: data.records,
      vectors: data.vectors,
    });
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"));
    expect(manifest.version).toBe(1);
    expect(manifest.transform).toBeUndefined();
    const index = await loadIndex(dir);
    expect(index.transform).toBeUndefined();
    expect(index.dim).toBe(RAW_DIM);
  });
});
