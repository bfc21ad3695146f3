import { describe, expect, it } from "vitest";
import { convertLayersToOnnx } from "../../src/model/convert-layers.js";
import { decodeWeights, type LayersArtifacts } from "../../src/model/layers-artifacts.js";
import { verifyParity } from "../../src/model/parity.js";
import { artifactsOf, tf, unitSpec } from "./tf-fixtures.js";

const base = (
  weights: LayersArtifacts["weightsManifest"][number]["weights"],
  bytes: number[],
): LayersArtifacts => ({
  label: "t",
  modelTopology: {},
  weightsManifest: [{ paths: ["a"], weights }],
  weightData: Uint8Array.from(bytes),
});

describe("decodeWeights", () => {
  it("dequantizes uint8 and uint16 as min + q * scale, and reads float16 / float32", () => {
    const f32 = new Uint8Array(Float32Array.of(1.5, -2).buffer);
    const a = base(
      [
        { name: "l/u8", shape: [3], dtype: "float32", quantization: { dtype: "uint8", min: -1, scale: 0.5 } },
        {
          name: "l/u16",
          shape: [2],
          dtype: "float32",
          quantization: { dtype: "uint16", min: 10, scale: 0.25 },
        },
        { name: "l/f16", shape: [2], dtype: "float32", quantization: { dtype: "float16" } },
        { name: "l/f32:0", shape: [2], dtype: "float32" },
      ],
      // u8: 0, 2, 255 | u16 LE: 4, 0x0100 | f16 LE: 1.0 (0x3c00), -2.5 (0xc100) | f32
      [0, 2, 255, 4, 0, 0, 1, 0x00, 0x3c, 0x00, 0xc1, ...f32],
    );
    const w = decodeWeights(a);
    expect(Array.from(w.get("l/u8")!.data)).toEqual([-1, 0, 126.5]);
    expect(Array.from(w.get("l/u16")!.data)).toEqual([11, 74]);
    expect(Array.from(w.get("l/f16")!.data)).toEqual([1, -2.5]);
    expect(Array.from(w.get("l/f32")!.data)).toEqual([1.5, -2]);
  });

  it("says which weight a truncated shard cuts off", () => {
    expect(() => decodeWeights(base([{ name: "k", shape: [4], dtype: "float32" }], [0, 0, 0, 0]))).toThrow(
      /shorter.*at k/,
    );
  });

  it("matches tfjs's own dequantization on a uint8-quantized model", async () => {
    const input = tf.input({ shape: [6, 6, 3] });
    const out = tf.layers
      .conv2d({ filters: 4, kernelSize: 3, padding: "same" })
      .apply(input) as tf.SymbolicTensor;
    const a = await artifactsOf(tf.model({ inputs: input, outputs: out }));
    // Quantize every weight to uint8 the way tensorflowjs_converter does, then let both sides dequantize.
    const floats = decodeWeights(a);
    const specs = a.weightsManifest[0]!.weights;
    const bytes: number[] = [];
    for (const spec of specs) {
      const data = floats.get(spec.name)!.data;
      const min = Math.min(...data);
      const scale = (Math.max(...data) - min) / 255 || 1;
      spec.quantization = { dtype: "uint8", min, scale };
      for (const v of data) bytes.push(Math.round((v - min) / scale));
    }
    const q = { ...a, weightData: Uint8Array.from(bytes) };
    const conv = convertLayersToOnnx(q, { pooling: "mean+std" });
    const parity = await verifyParity(q, conv.onnx, conv.cutAt, "mean+std", unitSpec(6), {
      minCosine: 0.99999,
    });
    expect(parity.minCosine).toBeGreaterThan(0.99999);
  });
});
