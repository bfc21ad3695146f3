import { convertLayersToOnnx } from "/work/main/src/model/convert-layers.js";
import { createEmbedder } from "/work/main/src/model/embedder.js";
import { loadLayersModelFile } from "/work/main/src/model/load-layers-file.js";
import { loadNsfwjsModel } from "/work/main/src/model/load-nsfwjs-model.js";
import { parityInput } from "/work/main/src/model/parity.js";
import { resolveModel } from "/work/main/src/model/presets.js";
for (const [name, p] of [["mobilenet-v2", undefined], ["inception-v3-mixed5", undefined], ["densenet121", "/work/shared/models/densenet121/model.json"]] as const) {
  const plan = resolveModel(name, p ? { path: p } : {});
  const a = plan.source.kind === "nsfwjs" ? loadNsfwjsModel(plan.source.model) : await loadLayersModelFile((plan.source as {path:string}).path);
  const c = convertLayersToOnnx(a, { cutAt: plan.cutAt, pooling: plan.pooling });
  const e = await createEmbedder({ onnxBytes: c.onnx, spec: plan.spec, threads: 2 });
  const x = parityInput(plan.spec, 16);
  await e.embed(x, 16);
  let best = 0;
  for (let r = 0; r < 3; r++) { const t = performance.now(); await e.embed(x, 16); best = Math.max(best, 16000 / (performance.now() - t)); }
  console.log(name, "best img/s (batch 16, 2 threads):", best.toFixed(1));
  await e.close();
}
