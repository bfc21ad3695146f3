/**
 * The TF.js "layers" model format as we read it: a Keras topology (model.json `modelTopology`) and a
 * weights manifest whose shards, concatenated in manifest order, hold every weight back to back.
 */
import { MosaicError } from "../errors.js";

export interface KerasInboundRef {
  layer: string;
  nodeIndex: number;
  tensorIndex: number;
}

export interface KerasLayerJson {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  /** Keras 2: [[[name, nodeIndex, tensorIndex, kwargs], ...]] — one list per call of the layer. */
  inbound_nodes: unknown[];
}

export interface WeightQuantization {
  dtype: "uint8" | "uint16" | "float16";
  min?: number;
  scale?: number;
}

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: "float32" | "int32";
  quantization?: WeightQuantization;
}

export interface WeightsGroup {
  paths: string[];
  weights: WeightSpec[];
}

/** Everything needed to convert (or run) a layers model, with its shard bytes already concatenated. */
export interface LayersArtifacts {
  /** Where it came from, for error messages. */
  label: string;
  modelTopology: Record<string, unknown>;
  weightsManifest: WeightsGroup[];
  /** All shards concatenated in manifest order. */
  weightData: Uint8Array;
}

export interface NamedWeight {
  shape: number[];
  data: Float32Array;
}

/** The functional model config inside a topology (handles both `model_config` wrappers and bare ones). */
export function modelConfigOf(a: LayersArtifacts): {
  className: string;
  layers: KerasLayerJson[];
  inputLayers: unknown[];
  outputLayers: unknown[];
} {
  const top = a.modelTopology as { model_config?: unknown };
  const mc = (top.model_config ?? top) as {
    class_name?: string;
    config?: { layers?: KerasLayerJson[]; input_layers?: unknown[]; output_layers?: unknown[] } | unknown[];
  };
  if (mc.class_name !== "Model" && mc.class_name !== "Functional") {
    throw new MosaicError(
      `${a.label}: unsupported Keras model class ${String(mc.class_name)} (only functional Models convert)`,
      {
        hint: "Save the model as a functional keras.Model, or export it to ONNX yourself and pass the .onnx.",
      },
    );
  }
  const cfg = mc.config as { layers?: KerasLayerJson[]; input_layers?: unknown[]; output_layers?: unknown[] };
  if (!Array.isArray(cfg?.layers)) throw new MosaicError(`${a.label}: model topology has no layers`);
  return {
    className: mc.class_name,
    layers: cfg.layers,
    inputLayers: cfg.input_layers ?? [],
    outputLayers: cfg.output_layers ?? [],
  };
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2 };

/**
 * Decodes every weight to float32, dequantizing as tfjs does: value = min + q * scale for uint8/uint16,
 * IEEE half for float16. Keras-style ":0" suffixes are dropped from names.
 */
export function decodeWeights(a: LayersArtifacts): Map<string, NamedWeight> {
  const out = new Map<string, NamedWeight>();
  const view = new DataView(a.weightData.buffer, a.weightData.byteOffset, a.weightData.byteLength);
  let offset = 0;
  for (const group of a.weightsManifest) {
    for (const spec of group.weights) {
      const count = spec.shape.reduce((p, d) => p * d, 1);
      const stored = spec.quantization?.dtype ?? spec.dtype;
      const width = BYTES[stored];
      if (width === undefined) throw new MosaicError(`${a.label}: unsupported weight dtype ${stored}`);
      if (offset + count * width > a.weightData.byteLength) {
        throw new MosaicError(
          `${a.label}: weight shards are shorter than the manifest says (at ${spec.name})`,
          {
            hint: "A shard file is missing or truncated; re-download the model.",
          },
        );
      }
      const data = new Float32Array(count);
      const q = spec.quantization;
      const min = q?.min ?? 0;
      const scale = q?.scale ?? 1;
      for (let i = 0; i < count; i++) {
        const at = offset + i * width;
        switch (stored) {
          case "uint8":
            data[i] = min + view.getUint8(at) * scale;
            break;
          case "uint16":
            data[i] = min + view.getUint16(at, true) * scale;
            break;
          case "float16":
            data[i] = halfToFloat(view.getUint16(at, true));
            break;
          case "int32":
            data[i] = view.getInt32(at, true);
            break;
          default:
            data[i] = view.getFloat32(at, true);
        }
      }
      offset += count * width;
      out.set(spec.name.replace(/:\d+$/, ""), { shape: spec.shape, data });
    }
  }
  return out;
}
