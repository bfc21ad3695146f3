import { MosaicError } from "../errors.js";
import type { IndexManifest } from "../index/types.js";
import type { Embedder } from "./embedder.js";
import { type ModelSetting, modelFromConfig, planForModelId } from "./model-from-config.js";
import { type OpenModelOptions, openModel } from "./open-model.js";

/**
 * Opens the model an index was built with, for query and serve. A bundled preset is found from the
 * manifest's model id alone; an index built from your own weights needs `model` (and `modelPreset`) again.
 * The index's own preprocessing is used, and a model that does not reproduce the index's id or width is
 * refused rather than giving meaningless scores.
 */
export async function openIndexModel(
  manifest: IndexManifest,
  options: OpenModelOptions & ModelSetting,
): Promise<Embedder> {
  const id = manifest.model.id;
  const plan = options.model ? modelFromConfig(options) : planForModelId(id);
  if (!plan || plan.id !== id) {
    throw new MosaicError(`This index was built with model "${id}"${plan ? `, not "${plan.id}"` : ""}`, {
      hint: plan
        ? "Pass the same --model (and --model-preset) that featurize used, or re-run featurize with this model."
        : "The index was built from your own weights: pass them with --model <model.json|.onnx>.",
    });
  }
  const embedder = await openModel({ ...plan, spec: manifest.model.preprocess }, options);
  if (embedder.dim !== manifest.dim) {
    await embedder.close();
    throw new MosaicError(
      `Model ${plan.id} gives ${embedder.dim}-d features; the index holds ${manifest.dim}-d vectors`,
      {
        hint: "Use the model that built the index (--model <path> for your own weights).",
      },
    );
  }
  return embedder;
}
