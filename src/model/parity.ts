import { MosaicError } from "../errors.js";
import { createEmbedder } from "./embedder.js";
import { cosine } from "./l2-normalize.js";
import type { LayersArtifacts } from "./layers-artifacts.js";
import { writePixels } from "./pixels-to-tensor.js";
import type { FeatureRecipe } from "./feature-recipe.js";
import type { Pooling } from "./pooling.js";
import type { PreprocessSpec } from "../contracts/preprocess-spec.js";
import { runTfjsReference } from "./tfjs-reference.js";

export const PARITY_MIN_COSINE = 0.9999;

/**
 * A deterministic, image-like batch: smooth colour gradients plus seeded noise (pure noise would exercise
 * the network far from real images), run through the model's own normalization.
 */
export function parityInput(spec: PreprocessSpec, n: number, seed = 20240501): Float32Array {
  let s = seed >>> 0;
  const rand = () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const { height: h, width: w } = spec;
  const out = new Float32Array(n * h * w * 3);
  const rgb = new Uint8Array(h * w * 3);
  for (let i = 0; i < n; i++) {
    const phase = [rand(), rand(), rand()].map((v) => v * 6.28);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let c = 0; c < 3; c++) {
          const wave = Math.sin((x / w) * 6 + (y / h) * 3 * (c + 1) + phase[c]!);
          rgb[(y * w + x) * 3 + c] = Math.max(
            0,
            Math.min(255, Math.round(128 + 90 * wave + 60 * (rand() - 0.5))),
          );
        }
      }
    }
    writePixels(rgb, spec, out, i);
  }
  return out;
}

export interface ParityResult {
  /** Cosine between ONNX Runtime and TF.js features, one per sample. */
  cosines: number[];
  minCosine: number;
  tfjsMs: number;
  onnxMs: number;
}

/**
 * Checks a conversion against TF.js on a fixed batch and throws a MosaicError naming the model when any
 * sample's cosine falls below `minCosine` — a silently wrong converter would poison every index built on it.
 */
export async function verifyParity(
  a: LayersArtifacts,
  onnx: Uint8Array,
  cutAt: readonly string[],
  head: Pooling | FeatureRecipe,
  spec: PreprocessSpec,
  options: { n?: number; minCosine?: number; threads?: number; specSource?: string; label?: string } = {},
): Promise<ParityResult> {
  const n = options.n ?? 2;
  const nhwc: PreprocessSpec = { ...spec, layout: "nhwc" };
  const input = parityInput(nhwc, n);
  const embedder = await createEmbedder({
    onnxBytes: onnx,
    spec: nhwc,
    threads: options.threads,
    ...(options.specSource ? { specSource: options.specSource } : {}),
    ...(options.label ? { label: options.label } : {}),
  });
  let t = performance.now();
  const got = await embedder.embed(input, n).finally(() => embedder.close());
  const onnxMs = performance.now() - t;
  t = performance.now();
  const want = await runTfjsReference(a, cutAt, head, input, n, nhwc);
  const tfjsMs = performance.now() - t;
  if (want.length !== got.length) {
    throw new MosaicError(
      `Converted model ${a.label} gives ${got.length / n} features, TF.js gives ${want.length / n}`,
      { hint: "This is a converter bug; pass an .onnx export of the model instead." },
    );
  }
  const dim = got.length / n;
  const cosines = Array.from({ length: n }, (_, i) =>
    cosine(got.subarray(i * dim, (i + 1) * dim), want.subarray(i * dim, (i + 1) * dim)),
  );
  const minCosine = Math.min(...cosines);
  if (!(minCosine >= (options.minCosine ?? PARITY_MIN_COSINE))) {
    throw new MosaicError(
      `Converted model ${a.label} (cut ${cutAt.join(",")}) disagrees with TF.js: cosine ${minCosine.toFixed(6)}`,
      { hint: "This is a converter bug; export the model to ONNX yourself and pass the .onnx file." },
    );
  }
  return { cosines, minCosine, tfjsMs, onnxMs };
}
