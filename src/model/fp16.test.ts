import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
// One half-precision encoder for the ONNX converter and the f16 search codes (search/f16.ts).
import { floatToHalf as toHalfBits } from "../search/f16.js";
import { convertOnnxToFp16 } from "./fp16.js";
import { encodeOnnxModel, floatTensor, OnnxDataType } from "./onnx-proto.js";

/** A small conv net shaped like a feature model: NHWC in, Transpose, Conv, Relu, GlobalAveragePool, Flatten. */
function tinyModel(): Uint8Array {
  let seed = 3;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed / 0x7fffffff - 0.5) * 0.4;
  };
  const weights = Float32Array.from({ length: 8 * 3 * 3 * 3 }, rand);
  return encodeOnnxModel({
    graphName: "tiny",
    nodes: [
      { opType: "Transpose", inputs: ["input"], outputs: ["nchw"], attributes: { perm: [0, 3, 1, 2] } },
      { opType: "Conv", inputs: ["nchw", "w", "b"], outputs: ["conv"], attributes: { pads: [1, 1, 1, 1] } },
      { opType: "Relu", inputs: ["conv"], outputs: ["relu"] },
      { opType: "GlobalAveragePool", inputs: ["relu"], outputs: ["pool"] },
      { opType: "Flatten", inputs: ["pool"], outputs: ["features"] },
    ],
    initializers: [
      floatTensor("w", [8, 3, 3, 3], weights),
      floatTensor("b", [8], Float32Array.from({ length: 8 }, rand)),
    ],
    inputs: [{ name: "input", elemType: OnnxDataType.FLOAT, shape: ["N", 16, 16, 3] }],
    outputs: [{ name: "features", elemType: OnnxDataType.FLOAT, shape: ["N", 8] }],
    opset: 17,
    irVersion: 8,
    producerName: "test",
    producerVersion: "0",
  });
}

async function run(model: Uint8Array, x: Float32Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model);
  const out = await session.run({ input: new ort.Tensor("float32", x, [2, 16, 16, 3]) });
  await session.release();
  return out.features!.data as Float32Array;
}

const cosine = (a: Float32Array, b: Float32Array) => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((v, i) => {
    dot += v * (b[i] as number);
    na += v * v;
    nb += (b[i] as number) ** 2;
  });
  return dot / Math.sqrt(na * nb);
};

describe("toHalfBits", () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff],
    [1e6, 0x7c00],
    [Number.NaN, 0x7e00],
    [2 ** -24, 0x0001],
    [1 + 2 ** -11, 0x3c00], // a tie rounds to even
    [1 + 3 * 2 ** -11, 0x3c02],
  ])("%s → %s", (value, bits) => expect(toHalfBits(value)).toBe(bits));
});

describe("convertOnnxToFp16", () => {
  it("keeps float32 I/O and matches the float32 model within fp16 rounding", async () => {
    const model = tinyModel();
    const half = convertOnnxToFp16(model);
    // Weights halve; the graph grows only by two Cast nodes.
    expect(half.length).toBeLessThan(model.length * 0.75);
    const session = await ort.InferenceSession.create(half);
    expect(session.inputMetadata[0]).toMatchObject({ type: "float32" });
    expect(session.outputMetadata[0]).toMatchObject({ type: "float32" });
    await session.release();
    const x = Float32Array.from({ length: 2 * 16 * 16 * 3 }, (_, i) => Math.sin(i) * 2);
    const [a, b] = [await run(model, x), await run(half, x)];
    expect(cosine(a.subarray(0, 8), b.subarray(0, 8))).toBeGreaterThan(0.995);
    expect(cosine(a.subarray(8), b.subarray(8))).toBeGreaterThan(0.995);
  });

  it("rejects input that is not an ONNX model", () => {
    expect(() => convertOnnxToFp16(new Uint8Array([0x0a, 0x05, 0x01]))).toThrow();
  });
});
