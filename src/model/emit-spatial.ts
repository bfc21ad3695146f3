import { MosaicError } from "../errors.js";
import type { NamedWeight } from "./layers-artifacts.js";
import type { OnnxGraphBuilder, Value } from "./onnx-graph-builder.js";

/** Reads an int or [int, int] Keras hyper-parameter. */
export function pair(v: unknown, fallback: [number, number]): [number, number] {
  if (typeof v === "number") return [v, v];
  if (Array.isArray(v) && typeof v[0] === "number" && typeof v[1] === "number") return [v[0], v[1]];
  return fallback;
}

export interface Window {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  padding: string;
}

/**
 * Output size and explicit ONNX pads [top, left, bottom, right] for a Keras window. TF "same" puts the
 * odd extra pixel at the bottom/right (e.g. stride 2 on even sizes), so we compute pads from the known
 * input size instead of trusting symmetric padding.
 */
export function windowGeometry(h: number, w: number, win: Window, layer: string) {
  const axis = (size: number, k: number, s: number, d: number): [number, number, number] => {
    const extent = (k - 1) * d + 1;
    if (win.padding === "valid") return [Math.floor((size - extent) / s) + 1, 0, 0];
    if (win.padding !== "same")
      throw new MosaicError(`Padding "${win.padding}" (layer ${layer}) is not supported`);
    const out = Math.ceil(size / s);
    const total = Math.max((out - 1) * s + extent - size, 0);
    return [out, Math.floor(total / 2), total - Math.floor(total / 2)];
  };
  const [oh, top, bottom] = axis(h, win.kernel[0], win.strides[0], win.dilations[0]);
  const [ow, left, right] = axis(w, win.kernel[1], win.strides[1], win.dilations[1]);
  if (oh < 1 || ow < 1)
    throw new MosaicError(`Layer ${layer} would produce an empty output (${h}×${w} input)`);
  return { outH: oh, outW: ow, pads: [top, left, bottom, right] };
}

function need(weight: NamedWeight | undefined, what: string, layer: string): NamedWeight {
  if (!weight) throw new MosaicError(`Weight ${layer}/${what} is missing from the weights manifest`);
  return weight;
}

export interface ConvWeights {
  kernel: NamedWeight | undefined;
  bias: NamedWeight | undefined;
}

/** Per-output-channel affine to fold into the conv (a following BatchNormalization). */
export interface ChannelAffine {
  scale: Float32Array;
  shift: Float32Array;
}

/**
 * Conv2D and DepthwiseConv2D. Keras kernels are [kh, kw, in, out] (depthwise: [kh, kw, in, multiplier]);
 * ONNX wants [out, in/group, kh, kw]. A depthwise output channel is c * multiplier + m, as in TF.
 */
export function emitConv(
  b: OnnxGraphBuilder,
  x: Value,
  cfg: Record<string, unknown>,
  layer: string,
  weights: ConvWeights,
  depthwise: boolean,
  fold?: ChannelAffine,
): Value {
  if (cfg.data_format === "channels_first")
    throw new MosaicError(`Layer ${layer}: channels_first is not supported`);
  const k = need(weights.kernel, depthwise ? "depthwise_kernel" : "kernel", layer);
  const [kh, kw, kin, kout] = k.shape as [number, number, number, number];
  const [c, h, w] = x.shape as [number, number, number];
  const group = depthwise ? c : typeof cfg.groups === "number" ? cfg.groups : 1;
  const outC = depthwise ? kin * kout : kout;
  const inPerGroup = depthwise ? 1 : kin;
  if (inPerGroup * group !== c)
    throw new MosaicError(`Layer ${layer}: kernel expects ${kin * group} channels, got ${c}`);
  const W = new Float32Array(outC * inPerGroup * kh * kw);
  for (let y = 0; y < kh; y++) {
    for (let xx = 0; xx < kw; xx++) {
      for (let i = 0; i < kin; i++) {
        for (let o = 0; o < kout; o++) {
          const src = k.data[((y * kw + xx) * kin + i) * kout + o]!;
          const oc = depthwise ? i * kout + o : o;
          const ic = depthwise ? 0 : i;
          W[((oc * inPerGroup + ic) * kh + y) * kw + xx] = src;
        }
      }
    }
  }
  const useBias = cfg.use_bias !== false;
  const B = new Float32Array(outC);
  if (useBias) B.set(need(weights.bias, "bias", layer).data);
  if (fold) {
    const per = inPerGroup * kh * kw;
    for (let o = 0; o < outC; o++) {
      const s = fold.scale[o]!;
      for (let j = 0; j < per; j++) W[o * per + j]! *= s;
      B[o] = B[o]! * s + fold.shift[o]!;
    }
  }
  const win: Window = {
    kernel: [kh, kw],
    strides: pair(cfg.strides, [1, 1]),
    dilations: pair(cfg.dilation_rate, [1, 1]),
    padding: String(cfg.padding ?? "valid"),
  };
  const g = windowGeometry(h, w, win, layer);
  const inputs = [x.name, b.floats(`${layer}/W`, [outC, inPerGroup, kh, kw], W)];
  if (useBias || fold) inputs.push(b.floats(`${layer}/B`, [outC], B));
  const out = b.op("Conv", inputs, layer, {
    kernel_shape: [kh, kw],
    strides: win.strides,
    dilations: win.dilations,
    pads: g.pads,
    group,
  });
  return { name: out, shape: [outC, g.outH, g.outW] };
}

/** MaxPooling2D / AveragePooling2D. Keras 'same' average pooling ignores the padding (count_include_pad=0). */
export function emitPool(
  b: OnnxGraphBuilder,
  x: Value,
  cfg: Record<string, unknown>,
  layer: string,
  max: boolean,
): Value {
  const kernel = pair(cfg.pool_size, [2, 2]);
  const strides = pair(cfg.strides, kernel);
  const [c, h, w] = x.shape as [number, number, number];
  const g = windowGeometry(
    h,
    w,
    { kernel, strides, dilations: [1, 1], padding: String(cfg.padding ?? "valid") },
    layer,
  );
  const attrs = { kernel_shape: kernel, strides, pads: g.pads, ...(max ? {} : { count_include_pad: 0 }) };
  return { name: b.op(max ? "MaxPool" : "AveragePool", [x.name], layer, attrs), shape: [c, g.outH, g.outW] };
}

/** ZeroPadding2D: padding is n, [h, w] or [[top, bottom], [left, right]]. */
export function emitZeroPadding(
  b: OnnxGraphBuilder,
  x: Value,
  cfg: Record<string, unknown>,
  layer: string,
): Value {
  const p = cfg.padding;
  let top = 1;
  let bottom = 1;
  let left = 1;
  let right = 1;
  if (typeof p === "number") [top, bottom, left, right] = [p, p, p, p];
  else if (Array.isArray(p) && Array.isArray(p[0]) && Array.isArray(p[1])) {
    [top, bottom] = pair(p[0], [1, 1]);
    [left, right] = pair(p[1], [1, 1]);
  } else if (Array.isArray(p)) {
    const [ph, pw] = pair(p, [1, 1]);
    [top, bottom, left, right] = [ph, ph, pw, pw];
  }
  const [c, h, w] = x.shape as [number, number, number];
  const pads = b.ints(`${layer}/pads`, [0, 0, top, left, 0, 0, bottom, right]);
  return { name: b.op("Pad", [x.name, pads], layer), shape: [c, h + top + bottom, w + left + right] };
}
