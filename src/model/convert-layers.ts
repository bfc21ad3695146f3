import { MosaicError } from "../errors.js";
import { batchNormAffine, emitLayer, type WeightLookup } from "./emit-layer.js";
import type { ChannelAffine } from "./emit-spatial.js";
import { buildKerasGraph, type KerasNode } from "./keras-graph.js";
import { decodeWeights, type LayersArtifacts } from "./layers-artifacts.js";
import { OnnxGraphBuilder, type Value } from "./onnx-graph-builder.js";
import { encodeOnnxModel, OnnxDataType } from "./onnx-proto.js";
import { emitFeatureRecipe, type FeatureRecipe, recipeKey, recipeLayers } from "./feature-recipe.js";
import { emitPooling, type Pooling } from "./pooling.js";
import type { PreprocessSpec } from "../contracts/preprocess-spec.js";

/** Bumped whenever the converter's output changes, so caches built by older versions are not reused. */
export const CONVERTER_VERSION = "1";
export const ONNX_INPUT = "input";
export const ONNX_OUTPUT = "features";

export interface ConvertOptions {
  /** Layer(s) whose outputs become the features; default the model's own outputs. */
  cutAt?: string | readonly string[];
  /** How spatial maps are pooled; several cuts are pooled each, then concatenated. */
  pooling: Pooling;
  /**
   * A multi-part head instead of `pooling` (its layers are the cut); `spec` is then required when it
   * has a colour histogram, which reads pixel values back from the normalized input.
   */
  features?: FeatureRecipe | undefined;
  spec?: PreprocessSpec | undefined;
}

export interface ConvertResult {
  onnx: Uint8Array;
  /** Feature width D of the "features" output [N, D]. */
  dim: number;
  /** Model input [H, W, C] (graph input is NHWC float32 [N, H, W, C]). */
  inputShape: [number, number, number];
  cutAt: string[];
  /** Number of ONNX nodes (for logs and tests). */
  nodeCount: number;
}

const FOLDABLE = new Set(["Conv2D", "DepthwiseConv2D"]);

function inputShapeOf(node: KerasNode, label: string): [number, number, number] {
  const s = (node.config.batch_input_shape ?? node.config.batch_shape) as (number | null)[] | undefined;
  const [, h, w, c] = s ?? [];
  if (s?.length !== 4 || typeof h !== "number" || typeof w !== "number" || typeof c !== "number") {
    throw new MosaicError(
      `${label}: input ${node.name} must have a fixed [H, W, C] shape, got ${JSON.stringify(s)}`,
      {
        hint: "Re-export the model with a fixed input size (e.g. input_shape=(224, 224, 3)).",
      },
    );
  }
  return [h, w, c];
}

/**
 * Converts a TF.js layers (Keras functional) model to ONNX opset 17, keeping only what the cut needs.
 * Graph input "input" is NHWC float32 [N, H, W, C] (transposed to NCHW once); output "features" is
 * float32 [N, D]. Batch normalizations directly after a convolution are folded into its weights.
 */
export function convertLayersToOnnx(a: LayersArtifacts, options: ConvertOptions): ConvertResult {
  const recipe = options.features;
  const graph = buildKerasGraph(a, recipe ? recipeLayers(recipe) : options.cutAt);
  const weights = decodeWeights(a);
  const b = new OnnxGraphBuilder();
  const values = new Map<string, Value>();
  const cuts = new Set(graph.outputs);
  const lookup =
    (layer: string): WeightLookup =>
    (kind) =>
      weights.get(`${layer}/${kind}`);
  let inputShape: [number, number, number] | undefined;

  for (const node of graph.nodes) {
    if (values.has(node.name)) continue; // a BatchNormalization folded into its convolution
    if (node.className === "InputLayer") {
      if (inputShape) throw new MosaicError(`${a.label}: models with several inputs are not supported`);
      inputShape = inputShapeOf(node, a.label);
      b.fresh(ONNX_INPUT);
      const nchw = b.op("Transpose", [ONNX_INPUT], `${node.name}_nchw`, { perm: [0, 3, 1, 2] });
      values.set(node.name, { name: nchw, shape: [inputShape[2], inputShape[0], inputShape[1]] });
      continue;
    }
    const inputs = node.inputs.map((i) => values.get(i)!);
    // Fold BN into the conv when the conv output is used by nothing else.
    let fold: ChannelAffine | undefined;
    let folded: KerasNode | undefined;
    if (
      FOLDABLE.has(node.className) &&
      (node.config.activation ?? "linear") === "linear" &&
      !cuts.has(node.name)
    ) {
      const next = graph.nodes.find((n) => n.inputs.length === 1 && n.inputs[0] === node.name);
      if (next?.className === "BatchNormalization" && graph.consumers.get(node.name) === 1) {
        const axis = Array.isArray(next.config.axis) ? next.config.axis[0] : (next.config.axis ?? -1);
        if (axis === -1 || axis === 3) {
          fold = batchNormAffine(next.config, lookup(next.name), next.name);
          folded = next;
        }
      }
    }
    const out = emitLayer(b, node, inputs, lookup(node.name), fold);
    values.set(node.name, out);
    if (folded) values.set(folded.name, out);
  }
  if (!inputShape) throw new MosaicError(`${a.label}: no InputLayer feeds the requested layers`);

  if (recipe?.colorHistogram && !options.spec) {
    throw new MosaicError("A colour histogram needs the preprocessing spec to read pixels back");
  }
  const pooled = recipe
    ? [emitFeatureRecipe(b, recipe, (name) => values.get(name)!, ONNX_INPUT, options.spec!)]
    : graph.outputs.map((name) => emitPooling(b, values.get(name)!, options.pooling, `${name}_pool`));
  const dim = pooled.reduce((s, v) => s + v.shape[0]!, 0);
  const last =
    pooled.length === 1
      ? pooled[0]!.name
      : b.op(
          "Concat",
          pooled.map((v) => v.name),
          "features_concat",
          { axis: 1 },
        );
  b.fresh(ONNX_OUTPUT);
  b.nodes.push({ opType: "Identity", inputs: [last], outputs: [ONNX_OUTPUT], name: ONNX_OUTPUT });

  const onnx = encodeOnnxModel({
    graphName: a.label,
    nodes: b.nodes,
    initializers: b.initializers,
    inputs: [{ name: ONNX_INPUT, elemType: OnnxDataType.FLOAT, shape: ["N", ...inputShape] }],
    outputs: [{ name: ONNX_OUTPUT, elemType: OnnxDataType.FLOAT, shape: ["N", dim] }],
    opset: 17,
    irVersion: 8,
    producerName: "mosaic",
    producerVersion: CONVERTER_VERSION,
    metadata: {
      source: a.label,
      cut: graph.outputs.join(","),
      pooling: recipe ? recipeKey(recipe) : options.pooling,
    },
  });
  return { onnx, dim, inputShape, cutAt: graph.outputs, nodeCount: b.nodes.length };
}
