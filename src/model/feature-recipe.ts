import { UsageError } from "../errors.js";
import type { OnnxGraphBuilder, Value } from "./onnx-graph-builder.js";
import { floatTensor } from "./onnx-proto.js";
import type { PreprocessSpec } from "../contracts/preprocess-spec.js";

/** A per-channel statistic over H×W. "gem3" is generalized mean pooling, mean(relu(x)³)^(1/3). */
export type PartStat = "mean" | "std" | "gem3";

/** One pooled statistic of one layer, L2-normalized in the graph, then scaled by `weight`. */
export interface FeaturePart {
  layer: string;
  stat: PartStat;
  /** Default 1. */
  weight?: number;
}

/**
 * A declarative feature head: several pooled parts of several layers (each L2-normalized so no layer
 * dominates by magnitude), optionally followed by an RGB colour histogram of the model input. The
 * output is the concatenation, in declaration order: parts first, histogram last.
 */
export interface FeatureRecipe {
  parts: readonly FeaturePart[];
  /** bins per channel; bins³ counts, element-wise sqrt, L2-normalized. */
  colorHistogram?: { bins: number };
}

/** Layers a recipe reads, in first-use order (the converter's cut). */
export function recipeLayers(recipe: FeatureRecipe): string[] {
  return [...new Set(recipe.parts.map((p) => p.layer))];
}

/** Stable text of a recipe, part of the model id: same text, same features. */
export function recipeKey(recipe: FeatureRecipe): string {
  const parts = recipe.parts.map(
    (p) => `${p.layer}:${p.stat}${p.weight && p.weight !== 1 ? `*${+p.weight.toFixed(4)}` : ""}`,
  );
  const hist = recipe.colorHistogram ? `+rgbhist${recipe.colorHistogram.bins}` : "";
  return `${parts.join(",")}${hist}`;
}

/** Width of each block the recipe emits: the CNN parts as one block, the histogram as another. */
export function recipeBlocks(recipe: FeatureRecipe, channels: (layer: string) => number): number[] {
  const cnn = recipe.parts.reduce((s, p) => s + channels(p.layer), 0);
  return recipe.colorHistogram ? [cnn, recipe.colorHistogram.bins ** 3] : [cnn];
}

function checkRecipe(recipe: FeatureRecipe): void {
  if (recipe.parts.length === 0) throw new UsageError("A feature recipe needs at least one part");
  const bins = recipe.colorHistogram?.bins;
  if (bins !== undefined && !(Number.isInteger(bins) && bins >= 2 && bins <= 16)) {
    throw new UsageError(`Colour histogram bins must be an integer in 2..16, got ${bins}`);
  }
}

/** x / max(‖x‖, ε) over axis 1 of [N, D], times `weight`: a zero part (a flat image's std) stays zero. */
function emitL2(b: OnnxGraphBuilder, x: string, hint: string, weight = 1): string {
  const ss = b.op("ReduceSumSquare", [x], `${hint}_ss`, { axes: [1], keepdims: 1 });
  const norm = b.op(
    "Sqrt",
    [b.op("Max", [ss, b.scalar(`${hint}_eps`, 1e-24)], `${hint}_ssmax`)],
    `${hint}_norm`,
  );
  const unit = b.op("Div", [x, norm], `${hint}_unit`);
  return weight === 1 ? unit : b.op("Mul", [unit, b.scalar(`${hint}_w`, weight)], `${hint}_weighted`);
}

function emitStat(b: OnnxGraphBuilder, x: Value, stat: PartStat, hint: string): string {
  const flat = (v: string, h: string) => b.op("Flatten", [v], h, { axis: 1 });
  if (x.shape.length === 1) return x.name;
  if (stat === "gem3") {
    const pos = b.op("Relu", [x.name], `${hint}_relu`);
    const cube = b.op("Mul", [b.op("Mul", [pos, pos], `${hint}_sq`), pos], `${hint}_cube`);
    const m = flat(b.op("GlobalAveragePool", [cube], `${hint}_gap3`), `${hint}_m3`);
    return b.op("Pow", [m, b.scalar(`${hint}_third`, 1 / 3)], `${hint}_gem`);
  }
  const mean4 = b.op("GlobalAveragePool", [x.name], `${hint}_gap`);
  if (stat === "mean") return flat(mean4, `${hint}_mean`);
  // Population std, like tf.moments: sqrt(mean((x - mean)^2)).
  const diff = b.op("Sub", [x.name, mean4], `${hint}_centered`);
  const variance = b.op("GlobalAveragePool", [b.op("Mul", [diff, diff], `${hint}_dsq`)], `${hint}_var`);
  return flat(b.op("Sqrt", [variance], `${hint}_std4`), `${hint}_std`);
}

/**
 * Histogram of the input pixels, inside the graph so featurize, query and serve can never compute it
 * differently. Pixel values are recovered from the normalized NHWC input (x·std + mean), binned with a
 * tiny upward nudge (so an exact 64 that float rounding made 63.99999 stays in its bin), and counted
 * with ScatterElements(reduction=add).
 */
function emitColorHistogram(b: OnnxGraphBuilder, input: string, bins: number, spec: PreprocessSpec): string {
  const width = 256 / bins;
  // Channel c of the input holds colour channelOrder[c]; the flat bin is r·bins² + g·bins + b.
  const place = spec.channelOrder === "bgr" ? [1, bins, bins * bins] : [bins * bins, bins, 1];
  const scale = b.floats(
    "hist_scale",
    [3],
    Float32Array.from(spec.std, (s) => s / width),
  );
  const shift = b.floats(
    "hist_shift",
    [3],
    Float32Array.from(spec.mean, (m) => m / width + 1e-3),
  );
  const pos = b.op("Add", [b.op("Mul", [input, scale], "hist_scaled"), shift], "hist_pos");
  const clipped = b.op(
    "Clip",
    [b.op("Floor", [pos], "hist_floor"), b.scalar("hist_lo", 0), b.scalar("hist_hi", bins - 1)],
    "hist_bin",
  );
  const flatBin = b.op(
    "MatMul",
    [clipped, b.floats("hist_place", [3, 1], Float32Array.from(place))],
    "hist_flatbin",
  );
  const perImage = b.op("Reshape", [flatBin, b.ints("hist_rows", [0, -1])], "hist_pixels");
  const indices = b.op("Cast", [perImage], "hist_index", { to: 7 });
  const shape = b.op("Shape", [perImage], "hist_shape");
  const ones = b.op("ConstantOfShape", [shape], "hist_ones", {
    value: floatTensor("hist_one", [1], Float32Array.of(1)),
  });
  const n = b.op("Slice", [shape, b.ints("hist_s0", [0]), b.ints("hist_s1", [1])], "hist_n");
  const countsShape = b.op("Concat", [n, b.ints("hist_bins", [bins ** 3])], "hist_counts_shape", { axis: 0 });
  const zeros = b.op("ConstantOfShape", [countsShape], "hist_zeros", {
    value: floatTensor("hist_zero", [1], Float32Array.of(0)),
  });
  const counts = b.op("ScatterElements", [zeros, indices, ones], "hist_counts", {
    axis: 1,
    reduction: "add",
  });
  return emitL2(b, b.op("Sqrt", [counts], "hist_sqrt"), "hist");
}

/**
 * Emits a recipe over the converted layers: returns the [N, D] output value. `input` is the graph's
 * NHWC input, for the colour histogram.
 */
export function emitFeatureRecipe(
  b: OnnxGraphBuilder,
  recipe: FeatureRecipe,
  layer: (name: string) => Value,
  input: string,
  spec: PreprocessSpec,
): Value {
  checkRecipe(recipe);
  const outs: string[] = [];
  let dim = 0;
  recipe.parts.forEach((p, i) => {
    const x = layer(p.layer);
    const hint = `part${i}_${p.layer}_${p.stat}`;
    outs.push(emitL2(b, emitStat(b, x, p.stat, hint), hint, p.weight ?? 1));
    dim += x.shape[0]!;
  });
  if (recipe.colorHistogram) {
    outs.push(emitColorHistogram(b, input, recipe.colorHistogram.bins, spec));
    dim += recipe.colorHistogram.bins ** 3;
  }
  const name = outs.length === 1 ? outs[0]! : b.op("Concat", outs, "recipe_concat", { axis: 1 });
  return { name, shape: [dim] };
}

/** The histogram in plain JS (the parity reference): same binning as the graph, in float64. */
export function colorHistogramOf(
  input: Float32Array,
  offset: number,
  pixels: number,
  bins: number,
  spec: PreprocessSpec,
): Float32Array {
  const width = 256 / bins;
  const place = spec.channelOrder === "bgr" ? [1, bins, bins * bins] : [bins * bins, bins, 1];
  const counts = new Float32Array(bins ** 3);
  const bin = (v: number, c: number) =>
    Math.min(bins - 1, Math.max(0, Math.floor((v * spec.std[c]!) / width + (spec.mean[c]! / width + 1e-3))));
  for (let p = 0; p < pixels; p++) {
    const q = offset + p * 3;
    counts[
      bin(input[q]!, 0) * place[0]! + bin(input[q + 1]!, 1) * place[1]! + bin(input[q + 2]!, 2) * place[2]!
    ]! += 1;
  }
  let ss = 0;
  for (let i = 0; i < counts.length; i++) {
    counts[i] = Math.sqrt(counts[i]!);
    ss += counts[i]! ** 2;
  }
  const inv = 1 / Math.sqrt(Math.max(ss, 1e-24));
  for (let i = 0; i < counts.length; i++) counts[i]! *= inv;
  return counts;
}
