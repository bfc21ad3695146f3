import * as ort from "onnxruntime-node";
import { MosaicError } from "../errors.js";
import type { PreprocessSpec } from "./preprocess-spec.js";

export interface EmbedderOptions {
  /** Path of the .onnx file (or pass `onnxBytes`). */
  onnxPath?: string;
  onnxBytes?: Uint8Array;
  spec: PreprocessSpec;
  /** intra-op threads; default lets ORT pick (all cores). */
  threads?: number;
  device?: "cpu";
}

/**
 * Runs a feature model. `embed` takes n preprocessed images laid out as `spec.layout` says
 * (NHWC: [n, H, W, 3]) and returns raw features [n, dim] — NOT L2-normalized; callers that compare
 * by cosine apply `l2normalize` (kept separate so centering can happen before normalizing).
 */
export interface Embedder {
  readonly dim: number;
  readonly spec: PreprocessSpec;
  embed(batch: Float32Array, n: number): Promise<Float32Array>;
  close(): Promise<void>;
}

export async function createEmbedder(options: EmbedderOptions): Promise<Embedder> {
  const { spec } = options;
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: ["cpu"],
    graphOptimizationLevel: "all",
    ...(options.threads ? { intraOpNumThreads: options.threads, interOpNumThreads: 1 } : {}),
  };
  let session: ort.InferenceSession;
  try {
    const source = options.onnxBytes ?? options.onnxPath;
    if (source === undefined) throw new Error("neither onnxPath nor onnxBytes given");
    session =
      typeof source === "string"
        ? await ort.InferenceSession.create(source, sessionOptions)
        : await ort.InferenceSession.create(source, sessionOptions);
  } catch (cause) {
    throw new MosaicError(`Cannot load ONNX model ${options.onnxPath ?? "(in memory)"}`, {
      hint: "Check that the file is a valid ONNX model; delete a corrupt cached model to reconvert it.",
      cause,
    });
  }
  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames.includes("features") ? "features" : session.outputNames[0]!;
  const shapeFor = (n: number) =>
    spec.layout === "nhwc" ? [n, spec.height, spec.width, 3] : [n, 3, spec.height, spec.width];
  const perImage = spec.height * spec.width * 3;

  const run = async (batch: Float32Array, n: number): Promise<{ data: Float32Array; dim: number }> => {
    if (batch.length < n * perImage) {
      throw new MosaicError(
        `Embed batch holds ${batch.length} values, expected ${n * perImage} for ${n} images`,
      );
    }
    const view = batch.length === n * perImage ? batch : batch.subarray(0, n * perImage);
    const feeds = { [inputName]: new ort.Tensor("float32", view, shapeFor(n)) };
    const out = (await session.run(feeds, [outputName]))[outputName]!;
    const data = out.data as Float32Array;
    return { data, dim: data.length / n };
  };
  // One tiny run tells us the feature width whatever the model (user .onnx files included).
  const probe = await run(new Float32Array(perImage), 1);

  return {
    dim: probe.dim,
    spec,
    async embed(batch, n) {
      if (n === 0) return new Float32Array(0);
      return (await run(batch, n)).data;
    },
    async close() {
      await session.release();
    },
  };
}
