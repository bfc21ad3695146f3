import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Embedder, createEmbedder } from "../../src/model/embedder.js";
import { ensureOnnx } from "../../src/model/ensure-onnx.js";
import { resolveModel } from "../../src/model/presets.js";
import { MosaicError } from "../../src/errors.js";

/**
 * Features from the GPU must match the CPU's. Runs wherever a WebGPU adapter exists (a GPU box with
 * Vulkan; see README “Running on a GPU”) and skips with the reason elsewhere, e.g. on CPU-only CI.
 * On the bench machine the same check runs through bench/gpu/run.sh (model-bench's cosineMin column).
 */
let cacheDir = "";
let onnxPath = "";
let webgpu: Embedder | MosaicError;

beforeAll(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), "mosaic-gpu-"));
  const plan = resolveModel("mobilenet-v2");
  ({ onnxPath } = await ensureOnnx(plan, { cacheDir }));
  webgpu = await createEmbedder({ onnxPath, spec: plan.spec, device: "webgpu" }).catch((error: unknown) => {
    if (error instanceof MosaicError) return error;
    throw error;
  });
  if (webgpu instanceof MosaicError) console.warn(`skipping WebGPU parity: ${webgpu.message}`);
});

afterAll(async () => {
  if (!(webgpu instanceof MosaicError)) await webgpu?.close();
  await rm(cacheDir, { recursive: true, force: true });
});

function minCosine(a: Float32Array, b: Float32Array, n: number): number {
  const dim = a.length / n;
  let min = 1;
  for (let i = 0; i < n; i++) {
    let [dot, na, nb] = [0, 0, 0];
    for (let j = i * dim; j < (i + 1) * dim; j++) {
      dot += (a[j] as number) * (b[j] as number);
      na += (a[j] as number) ** 2;
      nb += (b[j] as number) ** 2;
    }
    min = Math.min(min, dot / Math.sqrt(na * nb));
  }
  return min;
}

describe.each([
  ["fp32", 0.999],
  ["fp16", 0.995],
] as const)("WebGPU %s features match the CPU", (precision, threshold) => {
  it(`cosine ≥ ${threshold} on every image`, async (ctx) => {
    if (webgpu instanceof MosaicError) return ctx.skip();
    const plan = resolveModel("mobilenet-v2");
    const gpu = await createEmbedder({ onnxPath, spec: plan.spec, device: "webgpu", precision });
    const cpu = await createEmbedder({ onnxPath, spec: plan.spec, device: "cpu" });
    const n = 8;
    const batch = Float32Array.from({ length: n * 224 * 224 * 3 }, (_, i) => Math.sin(i * 0.37) * 1.5);
    try {
      expect(gpu.selection.device).toBe("webgpu");
      expect(minCosine(await gpu.embed(batch, n), await cpu.embed(batch, n), n)).toBeGreaterThanOrEqual(
        threshold,
      );
    } finally {
      await Promise.all([gpu.close(), cpu.close()]);
    }
  });
});
