import { createHash, randomUUID } from "node:crypto";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { CONVERTER_VERSION, convertLayersToOnnx } from "./convert-layers.js";
import type { LayersArtifacts } from "./layers-artifacts.js";
import { loadLayersModelFile } from "./load-layers-file.js";
import { loadNsfwjsModel, nsfwjsVersion } from "./load-nsfwjs-model.js";
import { type ParityResult, verifyParity } from "./parity.js";
import type { ModelPlan } from "./presets.js";

export type EnsureOnnxEvent =
  | { type: "model-convert-start"; id: string }
  | { type: "model-convert-done"; id: string; ms: number; dim: number; parity: ParityResult | undefined };

export interface EnsureOnnxOptions {
  cacheDir: string;
  /** Check the conversion against TF.js (default true). Off only for tests and benchmarks. */
  verify?: boolean;
  onEvent?: (e: EnsureOnnxEvent) => void;
}

export interface EnsuredOnnx {
  onnxPath: string;
  /** True when this call converted (first use), false when the cache (or a user .onnx) served it. */
  converted: boolean;
  parity: ParityResult | undefined;
}

/** What invalidates a cached conversion: converter version, plan id and the weights' identity. */
async function fingerprint(plan: ModelPlan): Promise<string> {
  const h = createHash("sha256").update(`${CONVERTER_VERSION}\n${plan.id}\n`);
  if (plan.source.kind === "nsfwjs") h.update(`nsfwjs@${nsfwjsVersion()}`);
  else {
    const s = await stat(path.resolve(plan.source.path));
    h.update(`${path.resolve(plan.source.path)}\n${s.size}\n${s.mtimeMs}`);
  }
  return h.digest("hex").slice(0, 16);
}

async function loadArtifacts(plan: ModelPlan): Promise<LayersArtifacts> {
  if (plan.source.kind === "nsfwjs") return loadNsfwjsModel(plan.source.model);
  return loadLayersModelFile(plan.source.path);
}

/** Cache file path for a plan (exported for tests and `mosaic doctor`-style listings). */
export async function cachedOnnxPath(plan: ModelPlan, cacheDir: string): Promise<string> {
  const safe = plan.id.replace(/[^A-Za-z0-9_.+-]+/g, "_").slice(0, 120);
  return path.join(cacheDir, "models", `${safe}-${await fingerprint(plan)}.onnx`);
}

/**
 * Returns an ONNX file for the plan, converting (and checking parity against TF.js) on first use.
 * The file is written to a temp name then renamed, so a crash or a concurrent run never leaves a
 * half-written model that later runs would trust.
 */
export async function ensureOnnx(plan: ModelPlan, options: EnsureOnnxOptions): Promise<EnsuredOnnx> {
  if (plan.source.kind === "onnx") return { onnxPath: plan.source.path, converted: false, parity: undefined };
  const target = await cachedOnnxPath(plan, options.cacheDir);
  if (
    await stat(target).then(
      (s) => s.isFile(),
      () => false,
    )
  ) {
    return { onnxPath: target, converted: false, parity: undefined };
  }
  options.onEvent?.({ type: "model-convert-start", id: plan.id });
  const t0 = performance.now();
  const artifacts = await loadArtifacts(plan);
  const result = convertLayersToOnnx(artifacts, {
    cutAt: plan.cutAt,
    pooling: plan.pooling,
    features: plan.features,
    spec: plan.spec,
  });
  const parity =
    options.verify === false
      ? undefined
      : await verifyParity(artifacts, result.onnx, result.cutAt, plan.features ?? plan.pooling, plan.spec);
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.${randomUUID()}.tmp`;
  try {
    await writeFile(tmp, result.onnx);
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  options.onEvent?.({
    type: "model-convert-done",
    id: plan.id,
    ms: performance.now() - t0,
    dim: result.dim,
    parity,
  });
  return { onnxPath: target, converted: true, parity };
}
