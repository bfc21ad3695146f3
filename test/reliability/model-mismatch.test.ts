import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeOnnxModel, int64Tensor, OnnxDataType } from "../../src/model/onnx-proto.js";
import { assertBuilt, runMosaic } from "../helpers/mosaic-bin.js";
import { makeTempDir } from "../helpers/temp-dir.js";

// Defect J3: a model whose input did not match the preset left the ORT worker running after the error, so
// featurize printed "Cannot load ONNX model … valid ONNX model" and never exited. Each run below must end
// (the test's own timeout is the only clock) with a message naming the real cause.

let dir: string;
let cleanup: () => Promise<void>;

/** Mean colour of an NHWC image of a fixed size: a valid model whose input is `size`×`size`. */
function meanColourModel(size: number): Uint8Array {
  return encodeOnnxModel({
    graphName: "mean-colour",
    nodes: [
      { opType: "ReduceMean", inputs: ["x", "axes"], outputs: ["features"], attributes: { keepdims: 0 } },
    ],
    initializers: [int64Tensor("axes", [2], [1, 2])],
    inputs: [{ name: "x", elemType: OnnxDataType.FLOAT, shape: ["N", size, size, 3] }],
    outputs: [{ name: "features", elemType: OnnxDataType.FLOAT, shape: ["N", 3] }],
    opset: 18,
    irVersion: 8,
    producerName: "mosaic-test",
    producerVersion: "0",
  });
}

beforeAll(async () => {
  assertBuilt();
  ({ dir, cleanup } = await makeTempDir("mosaic-model-mismatch-"));
  await writeFile(path.join(dir, "m224.onnx"), meanColourModel(224));
  await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 20, b: 20 } } })
    .png()
    .toFile(path.join(dir, "a.png"));
  await writeFile(path.join(dir, "cat.csv"), "id,title,image\na1,Red,a.png\n");
});
afterAll(() => cleanup());

const featurize = (model: string, ...extra: string[]) =>
  runMosaic(
    [
      "featurize",
      "--catalog",
      "cat.csv",
      "--out",
      "out",
      "--id-column",
      "id",
      "--image-column",
      "image",
      "--facet",
      "culture=title",
      "--device",
      "cpu",
      "--no-tui",
      "--model",
      model,
      ...extra,
    ],
    dir,
  );

describe("a model that does not fit its preset", () => {
  it("exits with both input shapes and the preset that fixes it", async () => {
    const run = await featurize("m224.onnx", "--model-preset", "resnet50-keras");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("takes input [N,224,224,3] but preset resnet50-keras feeds [1,225,225,3]");
    expect(run.stderr).toContain("--model-preset densenet121");
    expect(run.stderr).not.toContain("This is a bug");
  }, 60_000);

  it("takes the input size from the .onnx when no preset fixes it", async () => {
    const run = await featurize("m224.onnx");
    expect(run.stderr).not.toContain("Error");
    expect(run.code).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(dir, "out", "manifest.json"), "utf8"));
    expect(manifest.model.preprocess).toMatchObject({ height: 224, width: 224, layout: "nhwc" });
    expect(manifest.count).toBe(1);
  }, 60_000);

  it("says a missing model file is missing", async () => {
    const run = await featurize("no-such-model.onnx");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Model file no-such-model.onnx does not exist");
  }, 60_000);
});
