// Converts every preset with bundled weights (MODEL_PRESETS entries whose source is nsfwjs) into
// dist/models/<id>.onnx with the project's own converter, checks each against TF.js (a devDependency),
// and writes dist/models/manifest.json. The package ships these files, so an installed mosaic needs
// neither TF.js nor nsfwjs nor a first-use conversion. Runs after tsc (it imports dist/); a model whose
// recorded fingerprint (converter version, plan id, weights version) still matches is kept as is.
//   node scripts/build-models.mjs [--force]
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = (rel) => path.join(root, "dist", "src", "model", rel);
const { CONVERTER_VERSION, convertLayersToOnnx } = await import(dist("convert-layers.js"));
const { EMBEDDED_MANIFEST } = await import(dist("embedded-models.js"));
const { loadNsfwjsModel, nsfwjsVersion } = await import(dist("load-nsfwjs-model.js"));
const { verifyParity } = await import(dist("parity.js"));
const { MODEL_PRESETS, resolveModel } = await import(dist("presets.js"));

const out = path.join(root, "dist", "models");
const force = process.argv.includes("--force");
const manifestPath = path.join(out, EMBEDDED_MANIFEST);
const previous = await readFile(manifestPath, "utf8").then(
  (t) => JSON.parse(t).models ?? [],
  () => [],
);
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
// Named by preset for people reading the folder; the id hash changes the name whenever the preset's head does.
const fileName = (preset, id) => `${preset}-${sha256(id).slice(0, 12)}.onnx`;

await mkdir(out, { recursive: true });
const models = [];
for (const name of Object.keys(MODEL_PRESETS)) {
  if (MODEL_PRESETS[name].source?.kind !== "nsfwjs") continue;
  const plan = resolveModel(name);
  const weights = `nsfwjs@${nsfwjsVersion()}`;
  const file = fileName(name, plan.id);
  const old = previous.find((m) => m.id === plan.id);
  const kept =
    !force &&
    old?.converterVersion === CONVERTER_VERSION &&
    old.weights === weights &&
    old.file === file &&
    (await stat(path.join(out, file)).then(
      (s) => s.size === old.bytes,
      () => false,
    ));
  if (kept) {
    models.push({ ...old, preset: name });
    console.log(`models: ${name} up to date (${file})`);
    continue;
  }
  const t0 = performance.now();
  const artifacts = loadNsfwjsModel(plan.source.model);
  const result = convertLayersToOnnx(artifacts, {
    cutAt: plan.cutAt,
    pooling: plan.pooling,
    features: plan.features,
    spec: plan.spec,
  });
  // The large InceptionV3 cut is checked on one sample to keep the build short; the others on two.
  const samples = result.onnx.byteLength > 8e6 ? 1 : 2;
  const parity = await verifyParity(
    artifacts,
    result.onnx,
    result.cutAt,
    plan.features ?? plan.pooling,
    plan.spec,
    { n: samples },
  );
  const tmp = path.join(out, `${file}.tmp`);
  await writeFile(tmp, result.onnx);
  await rename(tmp, path.join(out, file));
  models.push({
    id: plan.id,
    preset: name,
    file,
    bytes: result.onnx.byteLength,
    sha256: sha256(result.onnx),
    dim: result.dim,
    converterVersion: CONVERTER_VERSION,
    weights,
    parity: { minCosine: parity.minCosine, samples },
  });
  const mb = (result.onnx.byteLength / 1e6).toFixed(1);
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    `models: ${name} → ${file} (${mb} MB, ${result.dim}-d, TF.js parity min cosine ${parity.minCosine.toFixed(6)}, ${s} s)`,
  );
}
// Files of presets that no longer exist (or were renamed) must not ride along in the package.
for (const m of previous) {
  if (!models.some((n) => n.file === m.file)) await rm(path.join(out, m.file), { force: true });
}
await writeFile(manifestPath, `${JSON.stringify({ format: 1, models }, null, 2)}\n`);
