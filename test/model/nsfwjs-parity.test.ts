import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { convertLayersToOnnx } from "../../src/model/convert-layers.js";
import { loadLayersModelFile } from "../../src/model/load-layers-file.js";
import { loadNsfwjsModel } from "../../src/model/load-nsfwjs-model.js";
import { verifyParity } from "../../src/model/parity.js";
import { MODEL_PRESETS } from "../../src/model/presets.js";

describe("real models: ONNX Runtime vs TF.js", () => {
  it("mobilenet-v2 preset cut (block_10_expand_relu, mean+std)", async () => {
    const preset = MODEL_PRESETS["mobilenet-v2"]!;
    const a = loadNsfwjsModel("mobilenet_v2");
    const conv = convertLayersToOnnx(a, { cutAt: preset.cutAt, pooling: preset.pooling });
    expect(conv.dim).toBe(768);
    expect(conv.inputShape).toEqual([224, 224, 3]);
    const parity = await verifyParity(a, conv.onnx, conv.cutAt, preset.pooling, preset.spec);
    console.log(`mobilenet-v2 parity cosines ${parity.cosines.join(", ")}`);
    expect(parity.minCosine).toBeGreaterThanOrEqual(0.9999);
  });

  it("mobilenet-v2-art head (3 layers, 5 L2-normalized parts, GeM, colour histogram)", async () => {
    const preset = MODEL_PRESETS["mobilenet-v2-art"]!;
    const a = loadNsfwjsModel("mobilenet_v2");
    const conv = convertLayersToOnnx(a, {
      pooling: preset.pooling,
      features: preset.features,
      spec: preset.spec,
    });
    expect(conv.dim).toBe(preset.dim);
    expect(conv.cutAt).toEqual(["block_10_expand_relu", "block_6_depthwise_relu", "block_2_expand_relu"]);
    const parity = await verifyParity(a, conv.onnx, conv.cutAt, preset.features!, preset.spec);
    console.log(`mobilenet-v2-art parity cosines ${parity.cosines.join(", ")}`);
    expect(parity.minCosine).toBeGreaterThanOrEqual(0.9999);
  });

  it("inception-v3 mixed5", { timeout: 120_000 }, async () => {
    const preset = MODEL_PRESETS["inception-v3-mixed5"]!;
    const a = loadNsfwjsModel("inception_v3");
    const conv = convertLayersToOnnx(a, { cutAt: preset.cutAt, pooling: preset.pooling });
    expect(conv.dim).toBe(768);
    const parity = await verifyParity(a, conv.onnx, conv.cutAt, preset.pooling, preset.spec, { n: 1 });
    console.log(`inception-v3 mixed5 parity cosines ${parity.cosines.join(", ")}`);
    expect(parity.minCosine).toBeGreaterThanOrEqual(0.9999);
  });
});

const densenet = fileURLToPath(new URL("../../../shared/models/densenet121/model.json", import.meta.url));
if (!existsSync(densenet)) console.log(`skipping DenseNet121 parity: ${densenet} not found`);

describe.skipIf(!existsSync(densenet))("DenseNet121 from a local model.json", () => {
  it("avg_pool features match TF.js", { timeout: 120_000 }, async () => {
    const preset = MODEL_PRESETS.densenet121!;
    const a = await loadLayersModelFile(densenet);
    const conv = convertLayersToOnnx(a, { cutAt: preset.cutAt, pooling: preset.pooling });
    expect(conv.dim).toBe(1024);
    const parity = await verifyParity(a, conv.onnx, conv.cutAt, preset.pooling, preset.spec, { n: 1 });
    console.log(`densenet121 parity cosines ${parity.cosines.join(", ")}`);
    expect(parity.minCosine).toBeGreaterThanOrEqual(0.9999);
  });
});
