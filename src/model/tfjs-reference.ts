import type { LayersArtifacts } from "./layers-artifacts.js";
import { colorHistogramOf, type FeatureRecipe, type PartStat, recipeLayers } from "./feature-recipe.js";
import type { Pooling } from "./pooling.js";
import type { PreprocessSpec } from "../contracts/preprocess-spec.js";

type Tf = typeof import("@tensorflow/tfjs");

let tfPromise: Promise<Tf> | undefined;

/** tfjs is loaded only when a parity check runs; embedding never needs it. */
async function loadTf(): Promise<Tf> {
  tfPromise ??= import("@tensorflow/tfjs").then(async (tf) => {
    // Prod mode also silences tfjs's "install tfjs-node" banner, which would land in the user's terminal.
    tf.enableProdMode();
    await tf.setBackend("cpu");
    await tf.ready();
    return tf;
  });
  return tfPromise;
}

/**
 * Runs the original model with TF.js (pure-JS CPU backend) up to the cut layer(s) and pools the same way
 * as the converted graph: the ground truth the ONNX output is checked against.
 * `input` is NHWC float32 [n, H, W, C], already normalized.
 */
export async function runTfjsReference(
  a: LayersArtifacts,
  cutAt: readonly string[],
  head: Pooling | FeatureRecipe,
  input: Float32Array,
  n: number,
  spec?: PreprocessSpec,
): Promise<Float32Array> {
  if (typeof head !== "string") return runRecipeReference(a, head, input, n, spec);
  const pooling = head;
  const tf = await loadTf();
  const weightData = a.weightData.buffer.slice(
    a.weightData.byteOffset,
    a.weightData.byteOffset + a.weightData.byteLength,
  ) as ArrayBuffer;
  const model = await tf.loadLayersModel({
    load: async () => ({
      modelTopology: a.modelTopology as object,
      weightSpecs: a.weightsManifest.flatMap((g) => g.weights) as never,
      weightData,
    }),
  });
  try {
    const cut = tf.model({
      inputs: model.inputs,
      outputs: cutAt.map((name) => model.getLayer(name).output as never),
    });
    const [, h, w, c] = model.inputs[0]!.shape as number[];
    const result = tf.tidy(() => {
      const x = tf.tensor4d(input, [n, h!, w!, c!]);
      const raw = cut.predict(x);
      const outs = Array.isArray(raw) ? raw : [raw];
      const pooled = outs.map((t) => {
        if (t.rank === 2) return t;
        if (pooling === "max") return t.max([1, 2]);
        const { mean, variance } = tf.moments(t, [1, 2]);
        return pooling === "mean" ? mean : tf.concat([mean, tf.sqrt(variance)], 1);
      });
      return pooled.length === 1 ? pooled[0]! : tf.concat(pooled, 1);
    });
    const data = (await result.data()) as Float32Array;
    result.dispose();
    return data;
  } finally {
    model.dispose();
  }
}

/** The recipe's parts with TF.js ops, the histogram in JS; concatenated in the graph's order. */
async function runRecipeReference(
  a: LayersArtifacts,
  recipe: FeatureRecipe,
  input: Float32Array,
  n: number,
  spec: PreprocessSpec | undefined,
): Promise<Float32Array> {
  const tf = await loadTf();
  const weightData = a.weightData.buffer.slice(
    a.weightData.byteOffset,
    a.weightData.byteOffset + a.weightData.byteLength,
  ) as ArrayBuffer;
  const model = await tf.loadLayersModel({
    load: async () => ({
      modelTopology: a.modelTopology as object,
      weightSpecs: a.weightsManifest.flatMap((g) => g.weights) as never,
      weightData,
    }),
  });
  const layers = recipeLayers(recipe);
  try {
    const cut = tf.model({
      inputs: model.inputs,
      outputs: layers.map((l) => model.getLayer(l).output as never),
    });
    const [, h, w, c] = model.inputs[0]!.shape as number[];
    const result = tf.tidy(() => {
      const raw = cut.predict(tf.tensor4d(input, [n, h!, w!, c!]));
      const outs = Array.isArray(raw) ? raw : [raw];
      const byLayer = new Map(layers.map((l, i) => [l, outs[i]!]));
      const stat = (t: import("@tensorflow/tfjs").Tensor, s: PartStat) => {
        if (s === "gem3") return tf.pow(tf.mean(tf.pow(tf.relu(t), 3), [1, 2]), 1 / 3);
        const { mean, variance } = tf.moments(t, [1, 2]);
        return s === "mean" ? mean : tf.sqrt(variance);
      };
      const parts = recipe.parts.map((p) => {
        const v = stat(byLayer.get(p.layer)!, p.stat);
        const norm = tf.maximum(tf.sqrt(tf.sum(tf.square(v), 1, true)), 1e-12);
        return tf.mul(tf.div(v, norm), p.weight ?? 1);
      });
      return tf.concat(parts, 1);
    });
    const cnn = (await result.data()) as Float32Array;
    result.dispose();
    const bins = recipe.colorHistogram?.bins;
    if (bins === undefined) return cnn;
    if (!spec) throw new Error("runTfjsReference: a colour histogram needs the preprocessing spec");
    const cnnDim = cnn.length / n;
    const dim = cnnDim + bins ** 3;
    const out = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) {
      out.set(cnn.subarray(i * cnnDim, (i + 1) * cnnDim), i * dim);
      out.set(colorHistogramOf(input, i * h! * w! * c!, h! * w!, bins, spec), i * dim + cnnDim);
    }
    return out;
  } finally {
    model.dispose();
  }
}
