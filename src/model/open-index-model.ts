import { MosaicError } from "../errors.js";
import type { IndexManifest, StoredTransform } from "../vector-index/types.js";
import { loadTransform } from "./collection-postprocess.js";
import { applyTransform } from "./collection-transform.js";
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
  transform?: StoredTransform,
): Promise<Embedder> {
  if (manifest.transform && !transform) {
    throw new MosaicError(
      `This index's vectors went through a collection-fitted transform, but its parameters were not loaded`,
      {
        hint: "Push the index again with this mosaic (mosaic index push <dir> postgres://…), which stores the transform beside it, or query the index directory itself.",
      },
    );
  }
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
  if (embedder.dim !== manifest.model.dim) {
    await embedder.close();
    throw new MosaicError(
      `Model ${plan.id} gives ${embedder.dim}-d features; the index was built from ${manifest.model.dim}-d ones`,
      {
        hint: "Use the model that built the index (--model <path> for your own weights).",
      },
    );
  }
  return transform ? transformedEmbedder(embedder, transform) : embedder;
}

/**
 * The index's transform applied to every embedding: query and serve both open the model here, so a query
 * vector always goes through exactly what the indexed rows went through (minus DBA, which is index-side).
 */
export function transformedEmbedder(inner: Embedder, stored: StoredTransform): Embedder {
  const fit = loadTransform(stored);
  return {
    dim: fit.outDim,
    spec: inner.spec,
    selection: inner.selection,
    precision: inner.precision,
    pixels: inner.pixels,
    embed: async (batch, n) => applyTransform(fit, await inner.embed(batch, n), n),
    close: () => inner.close(),
  };
}
