import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AbortedError } from "../../src/errors.js";
import { createEmbedder } from "../../src/model/embedder.js";
import { type EnsureOnnxEvent, ensureOnnx } from "../../src/model/ensure-onnx.js";
import { cosine, l2normalize } from "../../src/model/l2-normalize.js";
import { parityInput } from "../../src/model/parity.js";
import { writePixels } from "../../src/model/pixels-to-tensor.js";
import { MODEL_PRESETS, modelId, resolveModel } from "../../src/model/presets.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("presets", () => {
  it("resolves the default with an id naming source, cut and pooling", () => {
    const plan = resolveModel("mobilenet-v2");
    expect(plan.id).toBe("nsfwjs/mobilenet_v2#block_10_expand_relu#mean+std");
    expect(plan.dim).toBe(768);
    expect(plan.spec).toMatchObject({ height: 224, width: 224, channelOrder: "rgb", std: [255, 255, 255] });
    expect(resolveModel("mobilenet-v2", { pooling: "mean" }).dim).toBe(384);
    expect(resolveModel("mobilenet-v2", { cutAt: "block_6_expand_relu" }).id).toContain(
      "block_6_expand_relu",
    );
  });

  it("requires weights for user-supplied models and picks the loader from the extension", () => {
    expect(() => resolveModel("resnet50-keras")).toThrow(/needs weights/);
    const onnx = resolveModel("resnet50-keras", { path: "/m/resnet/model.onnx" });
    expect(onnx.source).toEqual({ kind: "onnx", path: "/m/resnet/model.onnx" });
    expect(onnx.spec).toMatchObject({ height: 225, channelOrder: "bgr", mean: [103.939, 116.779, 123.68] });
    expect(resolveModel("densenet121", { path: "/x/densenet121/model.json" }).id).toBe(
      "layers/densenet121/model.json#avg_pool#mean",
    );
    expect(() => resolveModel("vgg")).toThrow(/Unknown model/);
    expect(modelId({ kind: "nsfwjs", model: "inception_v3" }, ["mixed4", "mixed5"], "mean")).toBe(
      "nsfwjs/inception_v3#mixed4+mixed5#mean",
    );
    expect(MODEL_PRESETS["inception-v3-mixed5"]!.spec.height).toBe(299);
  });
});

describe("a first-use conversion can be interrupted", () => {
  it("Ctrl-C during it stops at the next step, caches nothing and leaves no temp file", async () => {
    const cacheDir = await mkdtemp(path.join(tmpdir(), "mosaic-model-abort-"));
    dirs.push(cacheDir);
    const stop = new AbortController();
    const error = await ensureOnnx(resolveModel("mobilenet-v2"), {
      cacheDir,
      embeddedDir: path.join(cacheDir, "no-shipped-models"),
      signal: stop.signal,
      // What cli.ts does on SIGINT, as soon as the conversion has begun.
      onEvent: (e) => e.type === "model-convert-start" && stop.abort(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).exitCode).toBe(130);
    expect((error as AbortedError).message).toMatch(/interrupted; nothing was cached/);
    expect(await readdir(path.join(cacheDir, "models")).catch(() => [])).toEqual([]);
  });
});

describe("ensureOnnx + createEmbedder", () => {
  it("converts once with a parity check, then reuses the cached file", async () => {
    const cacheDir = await mkdtemp(path.join(tmpdir(), "mosaic-model-"));
    dirs.push(cacheDir);
    const plan = resolveModel("mobilenet-v2");
    const events: EnsureOnnxEvent[] = [];
    const noShipped = { cacheDir, embeddedDir: path.join(cacheDir, "no-shipped-models") };
    const first = await ensureOnnx(plan, { ...noShipped, onEvent: (e) => events.push(e) });
    expect(first.converted).toBe(true);
    expect(first.parity!.minCosine).toBeGreaterThanOrEqual(0.9999);
    expect(events.map((e) => e.type)).toEqual(["model-convert-start", "model-convert-done"]);
    expect(path.basename(first.onnxPath)).toMatch(
      /^nsfwjs_mobilenet_v2_block_10_expand_relu_mean\+std-[0-9a-f]{16}\.onnx$/,
    );
    expect(await readdir(path.dirname(first.onnxPath))).toHaveLength(1); // no temp file left behind
    const mtime = (await stat(first.onnxPath)).mtimeMs;

    const again = await ensureOnnx(plan, noShipped);
    expect(again).toEqual({ onnxPath: first.onnxPath, converted: false, embedded: false, parity: undefined });
    expect((await stat(again.onnxPath)).mtimeMs).toBe(mtime);

    const embedder = await createEmbedder({ onnxPath: again.onnxPath, spec: plan.spec, threads: 1 });
    expect(embedder.dim).toBe(768);
    const batch = parityInput(plan.spec, 3);
    const all = await embedder.embed(batch, 3);
    expect(all).toHaveLength(3 * 768);
    // Batching must not change a sample's features.
    const one = await embedder.embed(batch.subarray(224 * 224 * 3, 2 * 224 * 224 * 3), 1);
    expect(cosine(one, all.subarray(768, 1536))).toBeGreaterThan(0.99999);
    await embedder.close();
  });

  it("passes user .onnx files through untouched", async () => {
    const plan = resolveModel("resnet50-keras", { path: "/nowhere/model.onnx" });
    expect(await ensureOnnx(plan, { cacheDir: "/unused" })).toEqual({
      onnxPath: "/nowhere/model.onnx",
      converted: false,
      embedded: false,
      parity: undefined,
    });
  });

  it("converts a TF.js model without the TF.js check where TF.js is not installed, and says so", async () => {
    const cacheDir = await mkdtemp(path.join(tmpdir(), "mosaic-model-"));
    dirs.push(cacheDir);
    const events: EnsureOnnxEvent[] = [];
    const got = await ensureOnnx(resolveModel("mobilenet-v2"), {
      cacheDir,
      embeddedDir: path.join(cacheDir, "no-shipped-models"),
      hasTfjs: () => false,
      onEvent: (e) => events.push(e),
    });
    expect(got.converted).toBe(true);
    expect(got.parity).toBeUndefined();
    expect(got.paritySkipped).toMatch(/@tensorflow\/tfjs is not installed.*not checked against TF\.js/);
    expect(events.at(-1)).toMatchObject({ type: "model-convert-done", paritySkipped: got.paritySkipped });
  });
});

describe("helpers", () => {
  it("l2normalize normalizes rows in place and leaves zero rows alone", () => {
    const v = l2normalize(Float32Array.of(3, 4, 0, 0), 2);
    expect(v[0]).toBeCloseTo(0.6, 6);
    expect(v[1]).toBeCloseTo(0.8, 6);
    expect(Array.from(v.subarray(2))).toEqual([0, 0]);
  });

  it("writePixels applies channel order, mean/std and layout", () => {
    const rgb = Uint8Array.of(10, 20, 30, 40, 50, 60); // 1×2 image
    const spec = MODEL_PRESETS["resnet50-keras"]!.spec;
    const nhwc = new Float32Array(6);
    writePixels(rgb, { ...spec, height: 1, width: 2 }, nhwc, 0);
    expect(nhwc[0]).toBeCloseTo(30 - 103.939, 4); // B first
    expect(nhwc[2]).toBeCloseTo(10 - 123.68, 4);
    const nchw = new Float32Array(12);
    writePixels(
      rgb,
      { ...spec, height: 1, width: 2, layout: "nchw", mean: [0, 0, 0], channelOrder: "rgb" },
      nchw,
      1,
    );
    expect(Array.from(nchw.subarray(6))).toEqual([10, 40, 20, 50, 30, 60]);
  });
});
