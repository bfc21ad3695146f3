import { MosaicError } from "../errors.js";
import type { OnnxGraphBuilder, Value } from "./onnx-graph-builder.js";

/** Clip(x, lo, hi); opset ≥ 11 takes the bounds as inputs. */
export function clip(b: OnnxGraphBuilder, x: Value, lo: number, hi: number | undefined, hint: string): Value {
  const inputs = [x.name, b.scalar(`${hint}_min`, lo)];
  if (hi !== undefined) inputs.push(b.scalar(`${hint}_max`, hi));
  return { name: b.op("Clip", inputs, hint), shape: x.shape };
}

/** Applies a Keras activation by name (the `activation` field of Conv2D/Dense/Activation). */
export function emitActivation(b: OnnxGraphBuilder, x: Value, activation: unknown, hint: string): Value {
  const name =
    typeof activation === "string"
      ? activation
      : ((activation as { class_name?: string })?.class_name ?? "linear");
  const unary = (op: string, attributes?: Record<string, number | { float: number }>): Value => ({
    name: b.op(op, [x.name], hint, attributes),
    shape: x.shape,
  });
  switch (name.toLowerCase()) {
    case "linear":
    case "none":
      return x;
    case "relu":
      return unary("Relu");
    case "relu6":
      return clip(b, x, 0, 6, hint);
    case "sigmoid":
      return unary("Sigmoid");
    case "tanh":
      return unary("Tanh");
    case "softmax":
      // Keras softmax is over the last (channel) axis, which is axis 1 in both NCHW and [N, D].
      return unary("Softmax", { axis: 1 });
    case "elu":
      return unary("Elu", { alpha: { float: 1 } });
    case "selu":
      return unary("Selu");
    case "softplus":
      return unary("Softplus");
    case "softsign":
      return unary("Softsign");
    case "exponential":
      return unary("Exp");
    case "hard_sigmoid":
      // Keras 2 / tfjs: clip(0.2 x + 0.5, 0, 1).
      return unary("HardSigmoid", { alpha: { float: 0.2 }, beta: { float: 0.5 } });
    case "swish":
    case "silu": {
      const s = b.op("Sigmoid", [x.name], `${hint}_sigmoid`);
      return { name: b.op("Mul", [x.name, s], hint), shape: x.shape };
    }
    default:
      throw new MosaicError(`Activation "${name}" (layer ${hint}) is not supported by the converter`, {
        hint: "Export the model to ONNX yourself and pass the .onnx file.",
      });
  }
}

/** Keras ReLU layer: max_value, negative_slope, threshold. */
export function emitReluLayer(
  b: OnnxGraphBuilder,
  x: Value,
  cfg: Record<string, unknown>,
  hint: string,
): Value {
  const maxValue = typeof cfg.max_value === "number" ? cfg.max_value : undefined;
  const slope = typeof cfg.negative_slope === "number" ? cfg.negative_slope : 0;
  const threshold = typeof cfg.threshold === "number" ? cfg.threshold : 0;
  if (threshold !== 0) throw new MosaicError(`ReLU threshold ${threshold} (layer ${hint}) is not supported`);
  if (slope === 0) return clip(b, x, 0, maxValue, hint);
  const leaky: Value = {
    name: b.op("LeakyRelu", [x.name], hint, { alpha: { float: slope } }),
    shape: x.shape,
  };
  if (maxValue === undefined) return leaky;
  return {
    name: b.op("Min", [leaky.name, b.scalar(`${hint}_max`, maxValue)], `${hint}_cap`),
    shape: x.shape,
  };
}
