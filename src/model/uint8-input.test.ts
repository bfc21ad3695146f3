import { readdir, readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { PreprocessSpec } from "../contracts/preprocess-spec.js";
import { decodePixels } from "../images/decode.js";
import { type Embedder, createEmbedder } from "./embedder.js";
import { embeddedModelsDir, readEmbeddedManifest } from "./embedded-models.js";
import { encodeOnnxModel } from "./onnx-proto.js";
import { toPixelFormat } from "./pixel-format.js";
import { DEFAULT_MODEL, resolveModel } from "./presets.js";
import { addUint8Input, declaredImageInput } from "./uint8-input.js";

const cosine = (a: Float32Array, b: Float32Array, i: number, dim: number) => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let j = i * dim; j < (i + 1) * dim; j++) {
    dot += (a[j] as number) * (b[j] as number);
    na += (a[j] as number) ** 2;
    nb += (b[j] as number) ** 2;
  }
  return dot / Math.sqrt(na * nb);
};

const open: Embedder[] = [];
afterAll(async () => {
  for (const e of open) await e.close();
});

// A graph whose output is its input, flattened: what the uint8 prefix computes is visible as is.
function flattenModel(layout: "nchw" | "nhwc"): Uint8Array {
  return encodeOnnxModel({
    graphName: "flat",
    nodes: [{ opType: "Flatten", inputs: ["image"], outputs: ["features"], attributes: { axis: 1 } }],
    initializers: [],
    inputs: [{ name: "image", elemType: 1, shape: layout === "nchw" ? ["N", 3, 2, 4] : ["N", 2, 4, 3] }],
    outputs: [{ name: "features", elemType: 1, shape: ["N", 24] }],
    opset: 13,
    irVersion: 8,
    producerName: "test",
    producerVersion: "0",
  });
}

describe("uint8 pixels into the graph", () => {
  const spec = (layout: "nchw" | "nhwc"): PreprocessSpec => ({
    height: 2,
    width: 4,
    resize: "squash",
    channelOrder: "bgr",
    mean: [103.9, 116.8, 123.7],
    std: [57.4, 57.1, 58.4],
    layout,
  });

  it.each(["nchw", "nhwc"] as const)("casts, normalizes and lays out %s inside the graph", async (layout) => {
    const s = spec(layout);
    const model = flattenModel(layout);
    expect(declaredImageInput(addUint8Input(model, s)!)).toEqual({
      name: "image",
      elemType: 2,
      shape: ["N", 2, 4, 3],
    });
    const bytes = Uint8Array.from({ length: 2 * 24 }, (_, i) => (i * 37) % 256);
    const floats = toPixelFormat(bytes, "float32", s, 2) as Float32Array;
    const byFloat = await createEmbedder({ onnxBytes: model, spec: s, pixels: "float32" });
    const byBytes = await createEmbedder({ onnxBytes: model, spec: s, pixels: "uint8" });
    open.push(byFloat, byBytes);
    expect([byFloat.pixels, byBytes.pixels]).toEqual(["float32", "uint8"]);
    const want = await byFloat.embed(floats, 2);
    // The float model's output is the normalized NCHW/NHWC tensor itself.
    expect(Array.from(want)).toEqual(Array.from(floats));
    const got = await byBytes.embed(bytes, 2);
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i] as number, 5);
    // Float input to the uint8 graph is converted back to bytes first, so callers need not know.
    const viaFloats = await byBytes.embed(floats, 2);
    for (let i = 0; i < want.length; i++) expect(viaFloats[i]).toBeCloseTo(want[i] as number, 5);
  });

  it("leaves models it cannot rewrite to the float input", async () => {
    expect(addUint8Input(flattenModel("nhwc"), { ...spec("nhwc"), height: 5 })).toBeUndefined();
    const e = await createEmbedder({ onnxBytes: flattenModel("nhwc"), spec: { ...spec("nhwc") } });
    open.push(e);
    // CPU `auto` stays on float32 (bench/featurize measured no gain there).
    expect(e.pixels).toBe("float32");
  });

  const images = path.resolve(import.meta.dirname, "../../../shared/data/aic-sample/images");
  it.runIf(existsSync(images))(
    "gives the shipped default model's embeddings of real images to cosine ≥ 0.9999",
    async () => {
      const plan = resolveModel(DEFAULT_MODEL);
      const dir = embeddedModelsDir()!;
      const entry = readEmbeddedManifest(dir)!.models.find((m) => m.preset === DEFAULT_MODEL)!;
      const onnxPath = path.join(dir, entry.file);
      const files = (await readdir(images)).sort().slice(0, 6);
      const n = files.length;
      const size = plan.spec.height * plan.spec.width * 3;
      const floats = new Float32Array(n * size);
      const bytes = new Uint8Array(n * size);
      for (const [i, f] of files.entries()) {
        const buf = await readFile(path.join(images, f));
        floats.set((await decodePixels(buf, plan.spec)) as Float32Array, i * size);
        bytes.set((await decodePixels(buf, plan.spec, { pixels: "uint8" })) as Uint8Array, i * size);
      }
      const byFloat = await createEmbedder({ onnxPath, spec: plan.spec, pixels: "float32", threads: 1 });
      const byBytes = await createEmbedder({ onnxPath, spec: plan.spec, pixels: "uint8", threads: 1 });
      open.push(byFloat, byBytes);
      const [a, b] = [await byFloat.embed(floats, n), await byBytes.embed(bytes, n)];
      const worst = Math.min(...files.map((_, i) => cosine(a, b, i, byFloat.dim)));
      expect(worst).toBeGreaterThanOrEqual(0.9999);
    },
  );
});
