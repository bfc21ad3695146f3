/** Builds tiny Keras-style models with tfjs and captures them as LayersArtifacts, as model.json would hold. */
import * as tf from "@tensorflow/tfjs";
import type { LayersArtifacts, WeightsGroup } from "../../src/model/layers-artifacts.js";
import type { PreprocessSpec } from "../../src/contracts/preprocess-spec.js";

export { tf };

export async function artifactsOf(model: tf.LayersModel, label = "fixture"): Promise<LayersArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      captured = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  const a = captured!;
  const parts = Array.isArray(a.weightData) ? a.weightData : [a.weightData!];
  const bytes = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    bytes.set(new Uint8Array(p), o);
    o += p.byteLength;
  }
  const manifest: WeightsGroup[] = [{ paths: ["shard"], weights: a.weightSpecs as WeightsGroup["weights"] }];
  return {
    label,
    modelTopology: a.modelTopology as Record<string, unknown>,
    weightsManifest: manifest,
    weightData: bytes,
  };
}

/** Sets every BatchNormalization's moving statistics (and gamma/beta) to non-trivial values. */
export function randomizeBatchNorms(model: tf.LayersModel): void {
  for (const layer of model.layers) {
    if (layer.getClassName() !== "BatchNormalization") continue;
    layer.setWeights(
      layer.weights.map((w) =>
        // variance must stay positive; the others may be anything
        w.name.includes("moving_variance")
          ? tf.randomUniform(w.shape as number[], 0.2, 2)
          : tf.randomNormal(w.shape as number[], 0, 0.5),
      ),
    );
  }
}

export function unitSpec(h: number, w = h): PreprocessSpec {
  return {
    height: h,
    width: w,
    resize: "squash",
    channelOrder: "rgb",
    mean: [0, 0, 0],
    std: [255, 255, 255],
    layout: "nhwc",
  };
}
