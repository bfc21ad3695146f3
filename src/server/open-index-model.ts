import { MosaicError } from "../errors.js";
import type { IndexManifest } from "../index/types.js";
import { createEmbedder, type Embedder } from "../model/embedder.js";
import { ensureOnnx } from "../model/ensure-onnx.js";
import { MODEL_PRESETS, type ModelPlan, resolveModel } from "../model/presets.js";

export interface OpenIndexModelOptions {
  cacheDir: string;
  /** A model.json / .onnx path when the index was built from user weights. */
  modelPath?: string | undefined;
  threads?: number | undefined;
}

/**
 * Opens the model an index was built with. The manifest's model id names source, cut and pooling, so
 * the preset whose plan has that id is the right one; the index's own preprocessing is used as is.
 */
export async function openIndexModel(
  manifest: IndexManifest,
  options: OpenIndexModelOptions,
): Promise<Embedder> {
  const plan = findPlan(manifest.model.id, options.modelPath);
  const { onnxPath } = await ensureOnnx(plan, { cacheDir: options.cacheDir });
  const embedder = await createEmbedder({
    onnxPath,
    spec: manifest.model.preprocess,
    ...(options.threads ? { threads: options.threads } : {}),
  });
  if (embedder.dim !== manifest.dim) {
    await embedder.close();
    throw new MosaicError(
      `Model ${plan.id} gives ${embedder.dim}-d features; the index holds ${manifest.dim}-d vectors`,
      {
        hint: "Serve the index with the model that built it (--model <path> for your own weights).",
      },
    );
  }
  return embedder;
}

function findPlan(id: string, modelPath: string | undefined): ModelPlan {
  for (const name of Object.keys(MODEL_PRESETS)) {
    let plan: ModelPlan;
    try {
      plan = resolveModel(name, modelPath ? { path: modelPath } : {});
    } catch {
      continue; // a preset that needs weights we were not given
    }
    if (plan.id === id) return plan;
  }
  throw new MosaicError(`Cannot find the model this index was built with (${id})`, {
    hint: modelPath
      ? `${modelPath} does not produce model ${id}; pass the weights featurize used.`
      : "The index was built from your own weights: pass them with --model <model.json|.onnx>.",
  });
}
