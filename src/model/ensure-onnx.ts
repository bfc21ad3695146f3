import { createHash, randomUUID } from "node:crypto";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";
import { AbortedError } from "../errors.js";
import { CONVERTER_VERSION, convertLayersToOnnx } from "./convert-layers.js";
import { embeddedOnnxPath } from "./embedded-models.js";
import type { LayersArtifacts } from "./layers-artifacts.js";
import { loadLayersModelFile } from "./load-layers-file.js";
import { loadNsfwjsModel, nsfwjsVersion } from "./load-nsfwjs-model.js";
import { type ParityResult, verifyParity } from "./parity.js";
import type { ModelPlan } from "./presets.js";

export type EnsureOnnxEvent =
  | { type: "model-convert-start"; id: string }
  | {
      type: "model-convert-done";
      id: string;
      ms: number;
      dim: number;
      parity: ParityResult | undefined;
      /** Why the conversion was not checked against TF.js (e.g. TF.js is not installed). */
      paritySkipped?: string | undefined;
    };

export interface EnsureOnnxOptions {
  cacheDir: string;
  /**
   * Check the conversion against TF.js (default: when @tensorflow/tfjs can be loaded; mosaic does not
   * depend on it at run time). Off only for tests and benchmarks.
   */
  verify?: boolean;
  /** Where a shipped model is looked up (default this package's dist/models); tests pass a temp folder. */
  embeddedDir?: string | undefined;
  /** Whether TF.js can be loaded (default: tfjsInstalled); tests fake its absence. */
  hasTfjs?: () => boolean;
  onEvent?: (e: EnsureOnnxEvent) => void;
  /** Ctrl-C: stops between the conversion's steps; nothing is cached, the next run converts again. */
  signal?: AbortSignal | undefined;
}

export interface EnsuredOnnx {
  onnxPath: string;
  /** True when this call converted (first use), false when the package, the cache or a user .onnx served it. */
  converted: boolean;
  /** The file shipped inside mosaic (converted and checked at build time). */
  embedded: boolean;
  parity: ParityResult | undefined;
  paritySkipped?: string | undefined;
}

const TFJS_MISSING =
  "@tensorflow/tfjs is not installed next to mosaic, so the conversion was not checked against TF.js (npm i -g @tensorflow/tfjs, then delete the cached .onnx, to check it)";

/**
 * The conversion's steps are long synchronous stretches: a signal handler (Ctrl-C) only runs once the
 * event loop gets a turn, so yield one (a macrotask, not a microtask) before looking at the signal.
 */
async function stopIfAborted(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal.aborted) {
    throw new AbortedError("Model conversion interrupted; nothing was cached", {
      hint: "The next run converts again from the start (it is a one-off step for this model).",
    });
  }
}

/** Whether the optional TF.js reference can be loaded from here (it is a devDependency only). */
export function tfjsInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve("@tensorflow/tfjs");
    return true;
  } catch {
    return false;
  }
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
 * The ONNX file for a plan when nothing needs converting: the user's own .onnx, the model shipped in
 * the package, or an earlier conversion in the cache. undefined: ensureOnnx would convert.
 */
export async function readyOnnx(
  plan: ModelPlan,
  options: Pick<EnsureOnnxOptions, "cacheDir" | "embeddedDir">,
): Promise<{ onnxPath: string; embedded: boolean } | undefined> {
  if (plan.source.kind === "onnx") return { onnxPath: plan.source.path, embedded: false };
  const shipped = embeddedOnnxPath(plan, options.embeddedDir);
  if (shipped) return { onnxPath: shipped, embedded: true };
  const target = await cachedOnnxPath(plan, options.cacheDir);
  const isFile = await stat(target).then(
    (s) => s.isFile(),
    () => false,
  );
  return isFile ? { onnxPath: target, embedded: false } : undefined;
}

/**
 * Returns an ONNX file for the plan, converting (and checking parity against TF.js) on first use.
 * The file is written to a temp name then renamed, so a crash or a concurrent run never leaves a
 * half-written model that later runs would trust.
 */
export async function ensureOnnx(plan: ModelPlan, options: EnsureOnnxOptions): Promise<EnsuredOnnx> {
  const ready = await readyOnnx(plan, options);
  if (ready) return { ...ready, converted: false, parity: undefined };
  const target = await cachedOnnxPath(plan, options.cacheDir);
  options.onEvent?.({ type: "model-convert-start", id: plan.id });
  const t0 = performance.now();
  const checkpoint = () => stopIfAborted(options.signal);
  const artifacts = await loadArtifacts(plan);
  await checkpoint();
  const result = convertLayersToOnnx(artifacts, {
    cutAt: plan.cutAt,
    pooling: plan.pooling,
    features: plan.features,
    spec: plan.spec,
  });
  await checkpoint();
  const paritySkipped =
    options.verify === false || (options.hasTfjs ?? tfjsInstalled)() ? undefined : TFJS_MISSING;
  const parity =
    options.verify === false || paritySkipped
      ? undefined
      : await verifyParity(artifacts, result.onnx, result.cutAt, plan.features ?? plan.pooling, plan.spec, {
          ...(plan.specSource ? { specSource: plan.specSource } : {}),
          label: plan.source.kind === "nsfwjs" ? plan.source.model : plan.source.path,
        });
  await checkpoint();
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
    paritySkipped,
  });
  return { onnxPath: target, converted: true, embedded: false, parity, paritySkipped };
}
