import { writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeImage } from "../../src/images/decode.js";
import { loadIndex } from "../../src/vector-index/load-index.js";
import type { VectorIndex } from "../../src/vector-index/types.js";
import { writeIndex } from "../../src/vector-index/write-index.js";
import { collectionPostprocess, loadTransform } from "../../src/model/collection-postprocess.js";
import { applyTransform } from "../../src/model/collection-transform.js";
import { modelFromConfig } from "../../src/model/model-from-config.js";
import { encodeOnnxModel, OnnxDataType } from "../../src/model/onnx-proto.js";
import type { PreprocessSpec } from "../../src/contracts/preprocess-spec.js";
import { prng } from "../../src/prng.js";
import { assertBuilt, runMosaic, startServe } from "../helpers/mosaic-bin.js";
import { makeTempDir } from "../helpers/temp-dir.js";

/** 2×2 RGB pixels as they are (0..255): the tiny model's 12 features are the pixels themselves. */
const SPEC: PreprocessSpec = {
  height: 2,
  width: 2,
  resize: "squash",
  channelOrder: "rgb",
  mean: [0, 0, 0],
  std: [1, 1, 1],
  layout: "nhwc",
};

/** input [N,2,2,3] → Flatten → features [N,12]. */
function flattenModel(): Uint8Array {
  return encodeOnnxModel({
    graphName: "flatten",
    nodes: [
      { opType: "Flatten", inputs: ["input"], outputs: ["features"], name: "flat", attributes: { axis: 1 } },
    ],
    initializers: [],
    inputs: [{ name: "input", elemType: OnnxDataType.FLOAT, shape: ["N", 2, 2, 3] }],
    outputs: [{ name: "features", elemType: OnnxDataType.FLOAT, shape: ["N", 12] }],
    opset: 17,
    irVersion: 8,
    producerName: "test",
    producerVersion: "1",
  });
}

async function png(rand: () => number): Promise<Buffer> {
  const px = Buffer.from(Array.from({ length: 12 }, () => Math.floor(rand() * 256)));
  return sharp(px, { raw: { width: 2, height: 2, channels: 3 } })
    .png()
    .toBuffer();
}

let dir: string;
let cleanup: () => Promise<void>;
let onnxPath: string;
let indexDir: string;
let queryImage: string;
let index: VectorIndex;
let expected: { id: string; score: number }[];

beforeAll(async () => {
  assertBuilt();
  ({ dir, cleanup } = await makeTempDir("mosaic-transformed-query-"));
  onnxPath = path.join(dir, "model", "flatten.onnx");
  await import("node:fs/promises").then((fs) => fs.mkdir(path.dirname(onnxPath)));
  await writeFile(onnxPath, flattenModel());
  const plan = modelFromConfig({ model: onnxPath, modelPreset: "resnet50-keras" });
  const rand = prng(11);
  const images = await Promise.all(Array.from({ length: 24 }, () => png(rand)));
  const vectors = await Promise.all(images.map((b) => decodeImage(b, SPEC)));
  indexDir = path.join(dir, "index");
  await writeIndex(indexDir, {
    model: { id: plan.id, dim: 12, preprocess: SPEC },
    facets: [],
    records: images.map((_, i) => ({
      id: `w${String(i).padStart(2, "0")}`,
      image: `${i}.png`,
      facets: {},
      meta: {},
    })),
    vectors,
    postprocess: collectionPostprocess({
      kind: "pw",
      blocks: [{ dim: 12, k: 6, weight: 1 }],
      shrink: 0.3,
      power: 0.375,
      dba: { k: 3 },
    }),
  });
  index = await loadIndex(indexDir);
  const query = await png(rand);
  queryImage = path.join(dir, "query.png");
  await writeFile(queryImage, query);
  const q = applyTransform(loadTransform(index.transform!), await decodeImage(query, SPEC), 1);
  expected = index.records
    .map((r, o) => {
      let s = 0;
      for (let j = 0; j < index.dim; j++) s += q[j]! * index.vectors[o * index.dim + j]!;
      return { id: r.id, score: s };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, 5);
}, 60_000);
afterAll(() => cleanup());

describe("query vectors of a transformed index", () => {
  it("mosaic query puts the image through the stored transform", async () => {
    const run = await runMosaic(
      [
        "query",
        queryImage,
        "--index",
        indexDir,
        "--model",
        onnxPath,
        "--model-preset",
        "resnet50-keras",
        "-n",
        "5",
        "--json",
        "--cache-dir",
        path.join(dir, "cache"),
      ],
      dir,
    );
    expect(run.stderr).not.toMatch(/error/i);
    const cut = (expected[1]!.score + expected[2]!.score) / 2;
    const strict = await runMosaic(
      [
        "query",
        queryImage,
        "--index",
        indexDir,
        "--model",
        onnxPath,
        "--model-preset",
        "resnet50-keras",
        "-n",
        "5",
        "--json",
        "--min-score",
        String(cut),
        "--cache-dir",
        path.join(dir, "cache"),
      ],
      dir,
    );
    expect(JSON.parse(strict.stdout).results.map((h: { id: string }) => h.id)).toEqual(
      expected.slice(0, 2).map((h) => h.id),
    );
    const hits = JSON.parse(run.stdout).results as { id: string; score: number }[];
    expect(hits.map((h) => h.id)).toEqual(expected.map((h) => h.id));
    for (const [i, h] of hits.entries()) expect(h.score).toBeCloseTo(expected[i]!.score, 4);
  }, 60_000);

  it("mosaic serve answers the same image with the same scores", async () => {
    const server = await startServe(
      ["--index", indexDir, "--model", onnxPath, "--cache-dir", path.join(dir, "cache")],
      dir,
      { MOSAIC_MODEL_PRESET: "resnet50-keras" },
    );
    try {
      const { readFile } = await import("node:fs/promises");
      const res = await fetch(`${server.url}/v1/search?n=5`, {
        method: "POST",
        headers: { "content-type": "image/png" },
        body: await readFile(queryImage),
      });
      const body = (await res.json()) as { results: { id: string; score: number }[] };
      expect(body.results.map((h) => h.id)).toEqual(expected.map((h) => h.id));
      for (const [i, h] of body.results.entries()) expect(h.score).toBeCloseTo(expected[i]!.score, 4);
      // min_score keeps the hits at or above it.
      const cut = (expected[1]!.score + expected[2]!.score) / 2;
      const strict = await fetch(`${server.url}/v1/search?n=5&min_score=${cut}`, {
        method: "POST",
        headers: { "content-type": "image/png" },
        body: await readFile(queryImage),
      });
      const kept = (await strict.json()) as { results: { id: string }[] };
      expect(kept.results.map((h) => h.id)).toEqual(expected.slice(0, 2).map((h) => h.id));
    } finally {
      await server.stop();
    }
  }, 60_000);
});
