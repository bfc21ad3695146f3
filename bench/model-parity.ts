/**
 * Conversion time, ONNX-vs-TF.js parity and ORT single-batch latency for the bundled presets.
 *   npx tsx bench/model-parity.ts [preset ...] [--path model.json]
 */
import { convertLayersToOnnx } from "../src/model/convert-layers.js";
import { loadLayersModelFile } from "../src/model/load-layers-file.js";
import { loadNsfwjsModel } from "../src/model/load-nsfwjs-model.js";
import { verifyParity } from "../src/model/parity.js";
import { resolveModel } from "../src/model/presets.js";

const args = process.argv.slice(2);
const pathAt = args.indexOf("--path");
const userPath = pathAt >= 0 ? args[pathAt + 1] : undefined;
const names = args.filter((a, i) => !a.startsWith("--") && i !== pathAt + 1);
for (const name of names.length ? names : ["mobilenet-v2", "inception-v3-mixed5"]) {
  const plan = resolveModel(name, userPath ? { path: userPath } : {});
  const t0 = performance.now();
  const a =
    plan.source.kind === "nsfwjs"
      ? loadNsfwjsModel(plan.source.model)
      : await loadLayersModelFile(plan.source.path);
  const t1 = performance.now();
  const conv = convertLayersToOnnx(a, { cutAt: plan.cutAt, pooling: plan.pooling });
  const t2 = performance.now();
  const p = await verifyParity(a, conv.onnx, conv.cutAt, plan.pooling, plan.spec);
  console.log(
    `${plan.id}: load ${(t1 - t0).toFixed(0)} ms, convert ${(t2 - t1).toFixed(0)} ms, ` +
      `${(conv.onnx.length / 1e6).toFixed(1)} MB, ${conv.nodeCount} nodes, dim ${conv.dim}; ` +
      `parity min cosine ${p.minCosine} (ORT ${p.onnxMs.toFixed(0)} ms vs TF.js ${p.tfjsMs.toFixed(0)} ms for 2 images)`,
  );
}
