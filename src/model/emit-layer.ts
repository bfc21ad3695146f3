import { MosaicError } from "../errors.js";
import { emitActivation, emitReluLayer } from "./emit-activation.js";
import { type ChannelAffine, emitConv, emitPool, emitZeroPadding } from "./emit-spatial.js";
import type { KerasNode } from "./keras-graph.js";
import type { NamedWeight } from "./layers-artifacts.js";
import type { OnnxGraphBuilder, Value } from "./onnx-graph-builder.js";

/** Looks up a layer's weight by its Keras name suffix (kernel, bias, gamma, moving_mean, ...). */
export type WeightLookup = (kind: string) => NamedWeight | undefined;

/** Keras channel axis (-1 / last) → our axis. NCHW: H=2, W=3, C=1; [N, D]: 1. */
function mapAxis(axis: unknown, v: Value, layer: string): number {
  const a = Array.isArray(axis) ? axis[0] : (axis ?? -1);
  if (typeof a !== "number")
    throw new MosaicError(`Layer ${layer}: unsupported axis ${JSON.stringify(axis)}`);
  const rank = v.shape.length + 1;
  const k = a < 0 ? a + rank : a;
  if (rank === 2 && k === 1) return 1;
  if (rank === 4) return [0, 2, 3, 1][k] ?? Number.NaN;
  throw new MosaicError(`Layer ${layer}: axis ${a} on a rank-${rank} tensor is not supported`);
}

/** Inference-time BatchNormalization as y = x * scale + shift per channel. */
export function batchNormAffine(
  cfg: Record<string, unknown>,
  weight: WeightLookup,
  layer: string,
): ChannelAffine {
  const mean = weight("moving_mean");
  const variance = weight("moving_variance");
  if (!mean || !variance) throw new MosaicError(`BatchNormalization ${layer} lacks moving statistics`);
  const eps = typeof cfg.epsilon === "number" ? cfg.epsilon : 1e-3;
  const gamma = cfg.scale === false ? undefined : weight("gamma");
  const beta = cfg.center === false ? undefined : weight("beta");
  const n = mean.data.length;
  const scale = new Float32Array(n);
  const shift = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // Float64 here, then rounded once, keeps folded weights as close to tfjs's arithmetic as we can.
    const s = (gamma ? gamma.data[i]! : 1) / Math.sqrt(variance.data[i]! + eps);
    scale[i] = s;
    shift[i] = (beta ? beta.data[i]! : 0) - mean.data[i]! * s;
  }
  return { scale, shift };
}

/** Broadcastable per-channel shape: [1, C, 1, 1] for NCHW, [1, D] for 2-D. */
function channelDims(v: Value): number[] {
  const c = v.shape[0]!;
  return v.shape.length === 3 ? [1, c, 1, 1] : [1, c];
}

function toNhwcFlat(b: OnnxGraphBuilder, x: Value, layer: string): Value {
  if (x.shape.length !== 3) return x;
  // Keras flattens H, W, C order; go back to NHWC before flattening.
  const t = b.op("Transpose", [x.name], `${layer}_nhwc`, { perm: [0, 2, 3, 1] });
  const size = x.shape.reduce((p, d) => p * d, 1);
  return { name: b.op("Flatten", [t], layer, { axis: 1 }), shape: [size] };
}

const IDENTITY = new Set(["Dropout", "SpatialDropout2D", "GaussianNoise", "GaussianDropout", "AlphaDropout"]);
const MERGE: Record<string, string> = { Add: "Sum", Maximum: "Max", Minimum: "Min", Average: "Mean" };

/** Emits one Keras layer (everything except InputLayer) and returns its output value. */
export function emitLayer(
  b: OnnxGraphBuilder,
  node: KerasNode,
  inputs: Value[],
  weight: WeightLookup,
  fold?: ChannelAffine,
): Value {
  const cfg = node.config;
  const layer = node.name;
  const x = inputs[0];
  if (!x) throw new MosaicError(`Layer ${layer} has no input`);
  const post = (v: Value): Value => emitActivation(b, v, cfg.activation, `${layer}_act`);
  switch (node.className) {
    case "Conv2D":
      return post(
        emitConv(b, x, cfg, layer, { kernel: weight("kernel"), bias: weight("bias") }, false, fold),
      );
    case "DepthwiseConv2D":
      return post(
        emitConv(b, x, cfg, layer, { kernel: weight("depthwise_kernel"), bias: weight("bias") }, true, fold),
      );
    case "BatchNormalization": {
      if (mapAxis(cfg.axis, x, layer) !== 1)
        throw new MosaicError(`BatchNormalization ${layer}: only the channel axis is supported`);
      const { scale, shift } = batchNormAffine(cfg, weight, layer);
      const dims = channelDims(x);
      const mul = b.op("Mul", [x.name, b.floats(`${layer}/scale`, dims, scale)], `${layer}_scale`);
      return { name: b.op("Add", [mul, b.floats(`${layer}/shift`, dims, shift)], layer), shape: x.shape };
    }
    case "Activation":
      return emitActivation(b, x, cfg.activation, layer);
    case "ReLU":
      return emitReluLayer(b, x, cfg, layer);
    case "LeakyReLU": {
      const alpha =
        typeof cfg.alpha === "number"
          ? cfg.alpha
          : typeof cfg.negative_slope === "number"
            ? cfg.negative_slope
            : 0.3;
      return { name: b.op("LeakyRelu", [x.name], layer, { alpha: { float: alpha } }), shape: x.shape };
    }
    case "ELU":
      return {
        name: b.op("Elu", [x.name], layer, { alpha: { float: Number(cfg.alpha ?? 1) } }),
        shape: x.shape,
      };
    case "Softmax":
      // Opset 13+ Softmax normalizes along exactly one axis, so any Keras axis maps directly.
      return {
        name: b.op("Softmax", [x.name], layer, { axis: mapAxis(cfg.axis, x, layer) }),
        shape: x.shape,
      };
    case "ZeroPadding2D":
      return emitZeroPadding(b, x, cfg, layer);
    case "MaxPooling2D":
      return emitPool(b, x, cfg, layer, true);
    case "AveragePooling2D":
      return emitPool(b, x, cfg, layer, false);
    case "GlobalAveragePooling2D":
    case "GlobalMaxPooling2D": {
      const op = node.className === "GlobalMaxPooling2D" ? "GlobalMaxPool" : "GlobalAveragePool";
      const pooled = b.op(op, [x.name], cfg.keepdims ? layer : `${layer}_4d`);
      if (cfg.keepdims) return { name: pooled, shape: [x.shape[0]!, 1, 1] };
      return { name: b.op("Flatten", [pooled], layer, { axis: 1 }), shape: [x.shape[0]!] };
    }
    case "Flatten":
      return toNhwcFlat(b, x, layer);
    case "Dense": {
      if (x.shape.length !== 1) throw new MosaicError(`Dense ${layer} on a rank-4 input is not supported`);
      const kernel = weight("kernel");
      if (!kernel) throw new MosaicError(`Weight ${layer}/kernel is missing`);
      const units = kernel.shape[1]!;
      const bias = cfg.use_bias === false ? new Float32Array(units) : weight("bias")?.data;
      if (!bias) throw new MosaicError(`Weight ${layer}/bias is missing`);
      const gemm = b.op(
        "Gemm",
        [x.name, b.floats(`${layer}/W`, kernel.shape, kernel.data), b.floats(`${layer}/B`, [units], bias)],
        cfg.activation && cfg.activation !== "linear" ? `${layer}_linear` : layer,
      );
      return post({ name: gemm, shape: [units] });
    }
    case "Concatenate": {
      const axis = mapAxis(cfg.axis, x, layer);
      const shape = [...x.shape];
      shape[axis - 1] = inputs.reduce((s, v) => s + v.shape[axis - 1]!, 0);
      return {
        name: b.op(
          "Concat",
          inputs.map((v) => v.name),
          layer,
          { axis },
        ),
        shape,
      };
    }
    case "Add":
    case "Maximum":
    case "Minimum":
    case "Average":
      return {
        name: b.op(
          MERGE[node.className]!,
          inputs.map((v) => v.name),
          layer,
        ),
        shape: x.shape,
      };
    case "Multiply":
    case "Subtract": {
      const op = node.className === "Multiply" ? "Mul" : "Sub";
      let acc = x.name;
      inputs.slice(1).forEach((v, i) => {
        acc = b.op(op, [acc, v.name], i === inputs.length - 2 ? layer : `${layer}_${i}`);
      });
      return { name: acc, shape: x.shape };
    }
    case "Reshape": {
      const target = (cfg.target_shape as number[] | undefined) ?? [];
      const flat = toNhwcFlat(b, x, `${layer}_flat`);
      const size = flat.shape[0]!;
      const known = target.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
      const dims = target.map((d) => (d === -1 ? size / known : d));
      if (dims.length === 1) return { name: b.op("Identity", [flat.name], layer), shape: dims };
      if (dims.length !== 3)
        throw new MosaicError(`Reshape ${layer} to rank ${dims.length + 1} is not supported`);
      const r = b.op("Reshape", [flat.name, b.ints(`${layer}/shape`, [0, ...dims])], `${layer}_nhwc`);
      const [h, w, c] = dims as [number, number, number];
      return { name: b.op("Transpose", [r], layer, { perm: [0, 3, 1, 2] }), shape: [c, h, w] };
    }
    default:
      if (IDENTITY.has(node.className)) return x;
      throw new MosaicError(
        `Keras layer ${layer} of type ${node.className} is not supported by the converter`,
        {
          hint: "Cut the model before this layer (--cut), or export the model to ONNX yourself and pass the .onnx file.",
        },
      );
  }
}
