import { UsageError } from "../errors.js";
import type { OnnxGraphBuilder, Value } from "./onnx-graph-builder.js";

/**
 * How a spatial feature map becomes a vector. "mean+std" appends per-channel standard deviations:
 * texture statistics that help retrieval of artworks more than plain means. Rank-2 cuts are used as is.
 */
export const POOLINGS = ["mean", "max", "mean+std"] as const;
export type Pooling = (typeof POOLINGS)[number];

export function parsePooling(value: string): Pooling {
  if ((POOLINGS as readonly string[]).includes(value)) return value as Pooling;
  throw new UsageError(`Unknown pooling "${value}"`, { hint: `Use one of: ${POOLINGS.join(", ")}.` });
}

/** Feature width a pooling produces from C channels. */
export function pooledDim(channels: number, pooling: Pooling): number {
  return pooling === "mean+std" ? 2 * channels : channels;
}

/** Emits pooling of an NCHW value into [N, D]. */
export function emitPooling(b: OnnxGraphBuilder, x: Value, pooling: Pooling, hint: string): Value {
  if (x.shape.length === 1) return x;
  const c = x.shape[0]!;
  const flat = (v: string, h: string) => b.op("Flatten", [v], h, { axis: 1 });
  if (pooling === "max")
    return { name: flat(b.op("GlobalMaxPool", [x.name], `${hint}_gmp`), `${hint}_max`), shape: [c] };
  const mean4 = b.op("GlobalAveragePool", [x.name], `${hint}_gap`);
  const mean = flat(mean4, `${hint}_mean`);
  if (pooling === "mean") return { name: mean, shape: [c] };
  // Population std, like tf.moments: sqrt(mean((x - mean)^2)).
  const diff = b.op("Sub", [x.name, mean4], `${hint}_centered`);
  const sq = b.op("Mul", [diff, diff], `${hint}_sq`);
  const variance = b.op("GlobalAveragePool", [sq], `${hint}_var`);
  const std = flat(b.op("Sqrt", [variance], `${hint}_std4`), `${hint}_std`);
  return { name: b.op("Concat", [mean, std], `${hint}_meanstd`, { axis: 1 }), shape: [2 * c] };
}
