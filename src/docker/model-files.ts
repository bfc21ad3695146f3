import path from "node:path";
import { readManifest } from "../vector-index/read-manifest.js";
import { cachedOnnxPath, ensureOnnx, readyOnnx } from "../model/ensure-onnx.js";
import { DEFAULT_MODEL, MODEL_PRESETS, type ModelPlan, resolveModel } from "../model/presets.js";

export interface ModelFilesOptions {
  /** The index to be baked in; undefined: the default model, which a mounted index most likely uses. */
  indexDir?: string | undefined;
  /** The host's model cache; a missing conversion is done here, once, before the build. */
  cacheDir: string;
  step: <T>(label: string, work: () => Promise<T>) => Promise<T>;
  log: (line: string) => void;
  /** false (a dry run): take the model only when it is already converted, and say so when it is not. */
  convert?: boolean;
  /** Ctrl-C stops a first-use conversion (see ensureOnnx). */
  signal?: AbortSignal | undefined;
}

/**
 * The converted .onnx file(s) an image should carry so that `mosaic serve` in the container finds its
 * model in the cache and /readyz answers in seconds rather than after a TF.js→ONNX conversion.
 * Only bundled-weight presets can be baked: an index built from your own weights needs `--model` at
 * run time, so none is returned for it (with a note).
 */
export async function modelFiles(options: ModelFilesOptions): Promise<string[]> {
  const id =
    options.indexDir === undefined
      ? resolveModel(DEFAULT_MODEL).id
      : (await readManifest(path.resolve(options.indexDir))).model.id;
  const plan = bundledPlan(id);
  if (!plan) {
    options.log(
      `note: the index was built by your own model (${id}); the image carries no model for it, so pass it at run time`,
    );
    return [];
  }
  if (options.convert === false) {
    const ready = await readyOnnx(plan, { cacheDir: options.cacheDir });
    if (ready) return [ready.onnxPath];
    const cached = await cachedOnnxPath(plan, options.cacheDir);
    options.log(
      `note: model ${plan.preset} is not converted yet; a real build converts it first (${cached})`,
    );
    return [];
  }
  const { onnxPath } = await options.step(`Preparing model ${plan.preset}`, () =>
    ensureOnnx(plan, { cacheDir: options.cacheDir, signal: options.signal }),
  );
  return [onnxPath];
}

function bundledPlan(id: string): ModelPlan | undefined {
  for (const [name, preset] of Object.entries(MODEL_PRESETS)) {
    if (!preset.source) continue;
    const plan = resolveModel(name);
    if (plan.id === id) return plan;
  }
  return undefined;
}
