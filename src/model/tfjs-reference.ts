import type { LayersArtifacts } from "./layers-artifacts.js";
import type { Pooling } from "./pooling.js";

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
  pooling: Pooling,
  input: Float32Array,
  n: number,
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
