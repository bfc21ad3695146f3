import { convertLayersToOnnx } from "../src/model/convert-layers.js";
import { createEmbedder } from "../src/model/embedder.js";
import { cosine } from "../src/model/l2-normalize.js";
import { loadNsfwjsModel } from "../src/model/load-nsfwjs-model.js";
import { loadLayersModelFile } from "../src/model/load-layers-file.js";
import { runTfjsReference } from "../src/model/tfjs-reference.js";

const [which = "mobilenet_v2", cut = "block_10_expand_relu", pooling = "mean"] = process.argv.slice(2);
const a = which.endsWith(".json") ? await loadLayersModelFile(which) : loadNsfwjsModel(which as "mobilenet_v2");
let t = performance.now();
const r = convertLayersToOnnx(a, { cutAt: cut.split(","), pooling: pooling as "mean" });
console.log("convert ms", performance.now() - t, "nodes", r.nodeCount, "dim", r.dim, "bytes", r.onnx.length);
const [h, w] = r.inputShape;
const n = 2;
const x = new Float32Array(n * h * w * 3);
let s = 1;
for (let i = 0; i < x.length; i++) { s = (s * 16807) % 2147483647; x[i] = s / 2147483647; }
const e = await createEmbedder({ onnxBytes: r.onnx, spec: { height: h, width: w, resize: "squash", channelOrder: "rgb", mean: [0, 0, 0], std: [255, 255, 255], layout: "nhwc" } });
t = performance.now();
const o = await e.embed(x, n);
console.log("ort ms", performance.now() - t);
t = performance.now();
const ref = await runTfjsReference(a, r.cutAt, pooling as "mean", x, n);
console.log("tfjs ms", performance.now() - t);
for (let i = 0; i < n; i++) console.log("cos", cosine(o.subarray(i * r.dim, (i + 1) * r.dim), ref.subarray(i * r.dim, (i + 1) * r.dim)), o[i * r.dim], ref[i * r.dim]);
