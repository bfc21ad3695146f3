/**
 * Model-only throughput of mosaic's embedder on one device, plus feature parity against the CPU.
 * Usage: model-bench <model.onnx> <nchw|nhwc> <device> <precision> <batch,batch,...> [seconds-per-size]
 *        [float32|uint8]   (the input fed: float tensors, or uint8 NHWC pixels normalized in the graph)
 * Prints one JSON line per batch size: {"device","precision","layout","pixels","batch","imgPerSec","cosineMin"}.
 * The batch inputs rotate among several random sets, so no run just re-reads one cached buffer.
 */
import { createEmbedder } from "../../src/model/embedder.js";
import type { DeviceChoice, Precision } from "../../src/model/device.js";
import type { PreprocessSpec } from "../../src/model/preprocess-spec.js";

const [modelPath, layout, device, precision, batches = "64", secondsArg = "8", pixelsArg = "float32"] =
  process.argv.slice(2);
const pixels = pixelsArg === "uint8" ? "uint8" : "float32";
if (!modelPath || (layout !== "nchw" && layout !== "nhwc")) {
  throw new Error("usage: model-bench <model.onnx> <nchw|nhwc> <device> <precision> <batches> [seconds]");
}
const spec: PreprocessSpec = {
  height: 224,
  width: 224,
  resize: "squash",
  channelOrder: "rgb",
  mean: [0, 0, 0],
  std: [1, 1, 1],
  layout,
};
const perImage = 224 * 224 * 3;
let seed = 7;
const randn = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  const u = seed / 0x7fffffff;
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  const v = seed / 0x7fffffff;
  return Math.sqrt(-2 * Math.log(u + 1e-12)) * Math.cos(2 * Math.PI * v);
};
const inputs = (n: number): Float32Array | Uint8Array =>
  pixels === "uint8"
    ? Uint8Array.from({ length: n * perImage }, () =>
        Math.min(255, Math.max(0, Math.round(128 + 60 * randn()))),
      )
    : Float32Array.from({ length: n * perImage }, randn);

const embedder = await createEmbedder({
  onnxPath: modelPath,
  spec,
  device: device as DeviceChoice,
  precision: precision as Precision,
  pixels,
});
const cpu = await createEmbedder({ onnxPath: modelPath, spec, device: "cpu" });

// Parity: the same 8 images through this device and through the CPU, cosine per image.
const check = inputs(8);
const [a, b] = [await embedder.embed(check, 8), await cpu.embed(check, 8)];
let cosineMin = 1;
const dim = embedder.dim;
for (let i = 0; i < 8; i++) {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let j = i * dim; j < (i + 1) * dim; j++) {
    dot += (a[j] as number) * (b[j] as number);
    na += (a[j] as number) ** 2;
    nb += (b[j] as number) ** 2;
  }
  cosineMin = Math.min(cosineMin, dot / Math.sqrt(na * nb));
}
await cpu.close();

for (const batch of batches.split(",").map(Number)) {
  const sets = Array.from({ length: 3 }, () => inputs(batch));
  for (let i = 0; i < 3; i++) await embedder.embed(sets[i % 3] as Float32Array | Uint8Array, batch); // warm-up: shader compile
  const budgetMs = Number(secondsArg) * 1000;
  const started = performance.now();
  let images = 0;
  let i = 0;
  while (performance.now() - started < budgetMs) {
    await embedder.embed(sets[i++ % 3] as Float32Array | Uint8Array, batch);
    images += batch;
  }
  const imgPerSec = images / ((performance.now() - started) / 1000);
  console.log(
    JSON.stringify({
      device: embedder.selection.device,
      skipped: embedder.selection.skipped,
      precision: embedder.precision,
      layout,
      pixels: embedder.pixels,
      batch,
      imgPerSec: Math.round(imgPerSec),
      cosineMin: Number(cosineMin.toFixed(5)),
    }),
  );
}
await embedder.close();
