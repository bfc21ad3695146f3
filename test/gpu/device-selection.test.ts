import { describe, expect, it } from "vitest";
import { createEmbedder } from "../../src/model/embedder.js";
import { encodeOnnxModel, floatTensor, OnnxDataType } from "../../src/model/onnx-proto.js";
import type { PreprocessSpec } from "../../src/contracts/preprocess-spec.js";
import type { PreflightEnv } from "../../src/model/providers.js";
import { MosaicError } from "../../src/errors.js";

const spec: PreprocessSpec = {
  height: 4,
  width: 4,
  resize: "squash",
  channelOrder: "rgb",
  mean: [0, 0, 0],
  std: [1, 1, 1],
  layout: "nhwc",
};

/** features = mean over pixels of input × 2: enough graph to start a session and probe it. */
const onnxBytes = encodeOnnxModel({
  graphName: "t",
  nodes: [
    { opType: "Mul", inputs: ["input", "two"], outputs: ["scaled"] },
    {
      opType: "ReduceMean",
      inputs: ["scaled"],
      outputs: ["features"],
      attributes: { axes: [1, 2], keepdims: 0 },
    },
  ],
  initializers: [floatTensor("two", [], Float32Array.of(2))],
  inputs: [{ name: "input", elemType: OnnxDataType.FLOAT, shape: ["N", 4, 4, 3] }],
  outputs: [{ name: "features", elemType: OnnxDataType.FLOAT, shape: ["N", 3] }],
  opset: 13,
  irVersion: 8,
  producerName: "test",
  producerVersion: "0",
});

const nothingInstalled: PreflightEnv = {
  platform: "linux",
  env: {},
  exists: () => false,
  ortBinaryDir: "/ort",
};
const everythingInstalled: PreflightEnv = { ...nothingInstalled, exists: () => true };

describe("device selection", () => {
  it("auto falls back to the CPU and says why each GPU device was skipped", async () => {
    const embedder = await createEmbedder({
      onnxBytes,
      spec,
      device: "auto",
      preflightEnv: nothingInstalled,
    });
    expect(embedder.selection.device).toBe("cpu");
    expect(embedder.selection.skipped.map((s) => s.device)).toEqual(["cuda", "webgpu"]);
    expect(embedder.selection.skipped[1]?.reason).toMatch(/libvulkan\.so\.1 missing/);
    expect(embedder.dim).toBe(3);
    await embedder.close();
  });

  it("--device webgpu without Vulkan fails with a hint instead of falling back", async () => {
    const attempt = createEmbedder({ onnxBytes, spec, device: "webgpu", preflightEnv: nothingInstalled });
    await expect(attempt).rejects.toThrow(MosaicError);
    await expect(attempt).rejects.toMatchObject({
      exitCode: 1,
      hint: expect.stringMatching(/--device auto/),
    });
  });

  // The real thing: ask ONNX Runtime for WebGPU. With no GPU it must fail fast and explained; with a
  // GPU it must run and give the CPU's answer.
  it("a real WebGPU attempt settles quickly: it runs, or fails with the reason", async () => {
    const started = Date.now();
    try {
      const embedder = await createEmbedder({
        onnxBytes,
        spec,
        device: "webgpu",
        preflightEnv: everythingInstalled,
      });
      const out = await embedder.embed(new Float32Array(48).fill(1), 1);
      expect(Array.from(out)).toEqual([2, 2, 2]);
      await embedder.close();
    } catch (error) {
      expect(error).toBeInstanceOf(MosaicError);
      expect((error as Error).message).toMatch(/^Cannot run the model on webgpu: /);
    }
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
