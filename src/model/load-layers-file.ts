import { readFile } from "node:fs/promises";
import path from "node:path";
import { MosaicError, UsageError } from "../errors.js";
import type { LayersArtifacts, WeightsGroup } from "./layers-artifacts.js";

/** Loads a TF.js layers model from a local model.json, reading its shards from the same folder. */
export async function loadLayersModelFile(modelJsonPath: string): Promise<LayersArtifacts> {
  let json: { modelTopology?: Record<string, unknown>; weightsManifest?: WeightsGroup[]; format?: string };
  try {
    json = JSON.parse(await readFile(modelJsonPath, "utf8"));
  } catch (cause) {
    throw new UsageError(`Cannot read TF.js model ${modelJsonPath}`, {
      hint: "Pass the path of a TF.js layers model.json (with its weight shards beside it).",
      cause,
    });
  }
  if (json.format === "graph-model" || !json.modelTopology || !json.weightsManifest) {
    throw new UsageError(`${modelJsonPath} is not a TF.js layers model`, {
      hint: "Graph models cannot be converted; export a Keras model with tensorflowjs_converter --output_format tfjs_layers_model, or pass an .onnx file.",
    });
  }
  const dir = path.dirname(modelJsonPath);
  const chunks: Buffer[] = [];
  for (const group of json.weightsManifest) {
    for (const p of group.paths) {
      try {
        chunks.push(await readFile(path.join(dir, p)));
      } catch (cause) {
        throw new MosaicError(`Missing weight shard ${p} of ${modelJsonPath}`, {
          hint: "Copy every file listed in the model.json weightsManifest next to it.",
          cause,
        });
      }
    }
  }
  return {
    label: modelJsonPath,
    modelTopology: json.modelTopology,
    weightsManifest: json.weightsManifest,
    weightData: new Uint8Array(Buffer.concat(chunks)),
  };
}
