import path from "node:path";
import { UsageError } from "../errors.js";
import { type FeatureRecipe, recipeKey, recipeLayers } from "./feature-recipe.js";
import type { NsfwjsModelName } from "./load-nsfwjs-model.js";
import { type Pooling, pooledDim } from "./pooling.js";
import type { PreprocessSpec } from "../contracts/preprocess-spec.js";
import type { TransformRecipe } from "./transform-recipe.js";

/** Where model weights come from. */
export type ModelSource =
  | { kind: "nsfwjs"; model: NsfwjsModelName }
  | { kind: "layers"; path: string }
  | { kind: "onnx"; path: string };

/** A fully resolved feature model: what to load, where to cut, how to pool, how to preprocess. */
export interface ModelPlan {
  /**
   * Identity of the features: source + cut + pooling. Two indexes are comparable iff their ids match
   * (and their preprocessing, which the preset fixes).
   */
  id: string;
  preset: string;
  source: ModelSource;
  /** Layer(s) to cut at; undefined uses the model outputs (and for .onnx files the graph as is). */
  cutAt: string[] | undefined;
  pooling: Pooling;
  /** A multi-part head replacing `pooling` (cutAt is then its layers). */
  features?: FeatureRecipe | undefined;
  /** What featurize fits on the collection and stores in the index (query and serve apply it). */
  transform?: TransformRecipe | undefined;
  spec: PreprocessSpec;
  /** Expected feature width when known in advance. */
  dim: number | undefined;
  /** Where `spec` came from, for messages ("preset densenet121"). */
  specSource?: string;
  /** No preset or config fixed the input size: an .onnx model's declared input decides it. */
  sizeFromModel?: boolean;
}

export interface ModelPreset {
  name: string;
  description: string;
  /** undefined: the user supplies the weights (a model.json or .onnx path). */
  source: ModelSource | undefined;
  cutAt?: string[];
  pooling: Pooling;
  spec: PreprocessSpec;
  /** Channels at the cut(s), to compute the feature width. */
  channels?: number;
  /** Multi-part head (see FeatureRecipe); `dim` is then its width. */
  features?: FeatureRecipe;
  dim?: number;
  transform?: TransformRecipe;
}

/** nsfwjs models take RGB divided by 255 (nsfwjs's classify() does `img.div(255)`). */
const unitRgb = (size: number): PreprocessSpec => ({
  height: size,
  width: size,
  resize: "squash",
  channelOrder: "rgb",
  mean: [0, 0, 0],
  std: [255, 255, 255],
  layout: "nhwc",
});

/** Keras "torch" preprocessing (DenseNet): x/255, then ImageNet mean/std, expressed on 0..255 pixels. */
const torchRgb = (size: number): PreprocessSpec => ({
  height: size,
  width: size,
  resize: "squash",
  channelOrder: "rgb",
  mean: [0.485 * 255, 0.456 * 255, 0.406 * 255],
  std: [0.229 * 255, 0.224 * 255, 0.225 * 255],
  layout: "nhwc",
});

/**
 * Named models. Cuts stay inside the part nsfwjs kept frozen at its ImageNet weights (MobileNetV2 up to
 * block_10, InceptionV3 up to mixed5); later layers were fine-tuned for NSFW classes, not for art.
 */
export const MODEL_PRESETS: Readonly<Record<string, ModelPreset>> = {
  "mobilenet-v2-art": {
    name: "mobilenet-v2-art",
    description:
      "Default. MobileNetV2 (ImageNet, bundled with nsfwjs): block_10 mean+std, block_6 mean+std, block_2 GeM + 8×8×8 RGB histogram (1808-d raw), whitened on the collection and DBA'd (320-d)",
    source: { kind: "nsfwjs", model: "mobilenet_v2" },
    // Measured on style-tune (../shared/notes/similarity-recipe.md): texture statistics of three depths,
    // each L2-normalized so none dominates; the shallow GeM part carries brush-stroke scale.
    features: {
      parts: [
        { layer: "block_10_expand_relu", stat: "mean" },
        { layer: "block_10_expand_relu", stat: "std" },
        { layer: "block_6_depthwise_relu", stat: "mean" },
        { layer: "block_6_depthwise_relu", stat: "std" },
        { layer: "block_2_expand_relu", stat: "gem3", weight: Math.SQRT2 },
      ],
      colorHistogram: { bins: 8 },
    },
    dim: 384 * 2 + 192 * 2 + 144 + 512,
    // Fitted by featurize on the collection itself: per block power normalization, PCA whitening with
    // shrinkage, the histogram at 0.4, then DBA over 7 neighbours (320-d searchable vectors). Shrink 0.1
    // rather than the study's 0.3: style-tune 0.357 → 0.361, aic-sample department 0.844 → 0.840,
    // classification 0.573 → 0.577 — within noise (SE ≈ 0.003) either way.
    transform: {
      kind: "pw",
      blocks: [
        { dim: 384 * 2 + 192 * 2 + 144, k: 256, weight: 1 },
        { dim: 512, k: 64, weight: 0.4 },
      ],
      shrink: 0.1,
      power: 0.375,
      dba: { k: 7 },
    },
    pooling: "mean+std",
    spec: unitRgb(224),
  },
  "mobilenet-v2": {
    name: "mobilenet-v2",
    description:
      "The default before mobilenet-v2-art: MobileNetV2 (ImageNet, bundled with nsfwjs) cut at block_10_expand_relu, mean+std pooled (768-d)",
    source: { kind: "nsfwjs", model: "mobilenet_v2" },
    cutAt: ["block_10_expand_relu"],
    pooling: "mean+std",
    spec: unitRgb(224),
    channels: 384,
  },
  "inception-v3-mixed5": {
    name: "inception-v3-mixed5",
    description: "InceptionV3 (ImageNet, bundled with nsfwjs) cut at mixed5, mean pooled; slower",
    source: { kind: "nsfwjs", model: "inception_v3" },
    cutAt: ["mixed5"],
    pooling: "mean",
    spec: unitRgb(299),
    channels: 768,
  },
  densenet121: {
    name: "densenet121",
    description: "Keras DenseNet121 (ImageNet) avg_pool features; pass the TF.js model.json path",
    source: undefined,
    cutAt: ["avg_pool"],
    pooling: "mean",
    spec: torchRgb(224),
    channels: 1024,
  },
  "resnet50-keras": {
    name: "resnet50-keras",
    description:
      "Keras ResNet50 preprocessing as in the original MosAIc (225² squash, BGR, caffe means); your weights",
    source: undefined,
    pooling: "mean",
    spec: {
      height: 225,
      width: 225,
      resize: "squash",
      channelOrder: "bgr",
      mean: [103.939, 116.779, 123.68],
      std: [1, 1, 1],
      layout: "nhwc",
    },
  },
};

/**
 * The embedded default. "mobilenet-v2" (the default before the collection-fitted recipe) stays a preset,
 * so indexes built with it keep querying: query and serve find a preset by the index's model id.
 */
export const DEFAULT_MODEL = "mobilenet-v2-art";

function sourceKey(s: ModelSource): string {
  if (s.kind === "nsfwjs") return `nsfwjs/${s.model}`;
  // Only the last two path segments: ids must not change when a project folder moves.
  return `${s.kind}/${path.basename(path.dirname(s.path))}/${path.basename(s.path)}`;
}

/** The compatibility id of a plan's features. */
export function modelId(
  source: ModelSource,
  cutAt: readonly string[] | undefined,
  pooling: Pooling,
  features?: FeatureRecipe,
): string {
  if (features && source.kind !== "onnx") return `${sourceKey(source)}#${recipeKey(features)}`;
  return `${sourceKey(source)}#${cutAt?.join("+") ?? "output"}#${pooling}`;
}

export interface ResolveOptions {
  /** model.json or .onnx path for presets without bundled weights (or to override the weights). */
  path?: string;
  cutAt?: string | string[];
  pooling?: Pooling;
  /** NCHW for .onnx files exported that way (e.g. from PyTorch). */
  layout?: PreprocessSpec["layout"];
}

/** Resolves a preset name (plus optional user weights / overrides) into a plan. */
export function resolveModel(name: string, options: ResolveOptions = {}): ModelPlan {
  const preset = MODEL_PRESETS[name];
  if (!preset) {
    throw new UsageError(`Unknown model "${name}"`, {
      hint: `Known models: ${Object.keys(MODEL_PRESETS).join(", ")}.`,
    });
  }
  let source = preset.source;
  if (options.path) {
    source = options.path.toLowerCase().endsWith(".onnx")
      ? { kind: "onnx", path: options.path }
      : { kind: "layers", path: options.path };
  }
  if (!source) {
    throw new UsageError(`Model "${name}" needs weights`, {
      hint: "Pass the path of a TF.js layers model.json or an .onnx file (--model-path).",
    });
  }
  const override = options.cutAt === undefined ? undefined : [options.cutAt].flat();
  // A cut or pooling override replaces the preset's multi-part head with a plain one.
  const features =
    override === undefined && options.pooling === undefined && source.kind !== "onnx"
      ? preset.features
      : undefined;
  const cutAt =
    source.kind === "onnx" ? undefined : (override ?? (features ? recipeLayers(features) : preset.cutAt));
  const pooling = options.pooling ?? preset.pooling;
  const sameCut = override === undefined && source.kind !== "onnx";
  const dim = features
    ? preset.dim
    : sameCut && preset.channels
      ? pooledDim(preset.channels, pooling)
      : undefined;
  return {
    id: modelId(source, cutAt, pooling, features),
    preset: preset.name,
    source,
    cutAt,
    pooling,
    features,
    // The transform is fitted on this head's blocks; another head would not match its widths.
    transform: features ? preset.transform : undefined,
    spec: options.layout ? { ...preset.spec, layout: options.layout } : preset.spec,
    dim,
  };
}
