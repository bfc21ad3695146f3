import { fileURLToPath } from "node:url";
/**
 * Retrieval quality of candidate feature models on the AIC sample: leave-one-out P@10 (share of the 10
 * nearest neighbours, by cosine, with the query's department / classification) and embedding speed.
 *   npx tsx bench/model-quality.ts [--densenet] [--inception] [--threads 2]
 * Multi-cut ONNX graphs give several candidates from one pass; img/s is then timed per single cut.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { convertLayersToOnnx } from "../src/model/convert-layers.js";
import { createEmbedder } from "../src/model/embedder.js";
import { l2normalize } from "../src/model/l2-normalize.js";
import type { LayersArtifacts } from "../src/model/layers-artifacts.js";
import { loadLayersModelFile } from "../src/model/load-layers-file.js";
import { loadNsfwjsModel } from "../src/model/load-nsfwjs-model.js";
import { writePixels } from "../src/model/pixels-to-tensor.js";
import { MODEL_PRESETS } from "../src/model/presets.js";
import type { PreprocessSpec } from "../src/contracts/preprocess-spec.js";

const args = process.argv.slice(2);
const threadsAt = args.indexOf("--threads");
const threads = threadsAt >= 0 ? Number(args[threadsAt + 1]) : 2;
const shared = fileURLToPath(new URL("../../shared/", import.meta.url));
const root = `${shared}data/aic-sample`;
const rows = parseCsv(readFileSync(path.join(root, "catalog.csv"), "utf8"));

/** Just enough RFC 4180 for the sample catalog (quoted fields, doubled quotes, embedded newlines). */
function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [[]];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') field += text[++i];
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      records.at(-1)!.push(field);
      field = "";
    } else if (ch === "\n") {
      records.at(-1)!.push(field.replace(/\r$/, ""));
      field = "";
      records.push([]);
    } else field += ch;
  }
  if (field) records.at(-1)!.push(field);
  const [header = [], ...body] = records.filter((r) => r.length > 1);
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
}
const dept = rows.map((r) => r.department ?? "");
const klass = rows.map((r) => (r.classification ?? "").split(/[,;]/)[0]!.trim().toLowerCase());

const decoded = new Map<number, Uint8Array[]>();
async function pixels(size: number): Promise<Uint8Array[]> {
  let out = decoded.get(size);
  if (!out) {
    out = await Promise.all(
      rows.map(
        async (r) =>
          new Uint8Array(
            await sharp(path.join(root, r.image!))
              .removeAlpha()
              .toColourspace("srgb")
              .resize(size, size, { fit: "fill" })
              .raw()
              .toBuffer(),
          ),
      ),
    );
    decoded.set(size, out);
  }
  return out;
}

async function embedAll(onnx: Uint8Array, spec: PreprocessSpec, limit = rows.length) {
  const imgs = await pixels(spec.height);
  const e = await createEmbedder({ onnxBytes: onnx, spec, threads });
  const batch = 16;
  const per = spec.height * spec.width * 3;
  const buf = new Float32Array(batch * per);
  const parts: Float32Array[] = [];
  await e.embed(buf, Math.min(batch, limit)); // warm-up: first runs allocate
  const t0 = performance.now();
  for (let i = 0; i < limit; i += batch) {
    const n = Math.min(batch, limit - i);
    for (let j = 0; j < n; j++) writePixels(imgs[i + j]!, spec, buf, j);
    parts.push((await e.embed(buf, n)).slice());
  }
  const secs = (performance.now() - t0) / 1000;
  await e.close();
  const all = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return { features: all, dim: e.dim, imgPerSec: limit / secs };
}

function precisionAt10(features: Float32Array, dim: number, center: boolean): [number, number] {
  const n = features.length / dim;
  const f = features.slice();
  if (center) {
    const mean = new Float64Array(dim);
    for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d]! += f[i * dim + d]! / n;
    for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) f[i * dim + d]! -= mean[d]!;
  }
  l2normalize(f, dim);
  let pd = 0;
  let pc = 0;
  const sims = new Float64Array(n);
  for (let q = 0; q < n; q++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += f[q * dim + d]! * f[j * dim + d]!;
      sims[j] = j === q ? -Infinity : s;
    }
    const top = [...sims.keys()].sort((a, b) => sims[b]! - sims[a]!).slice(0, 10);
    pd += top.filter((j) => dept[j] === dept[q]).length / 10;
    pc += top.filter((j) => klass[j] === klass[q]).length / 10;
  }
  return [pd / n, pc / n];
}

/** Slices block k of a concatenated multi-cut output; with mean+std pooling, `meanOnly` keeps its first half. */
function slice(features: Float32Array, dim: number, from: number, width: number): Float32Array {
  const n = features.length / dim;
  const out = new Float32Array(n * width);
  for (let i = 0; i < n; i++) out.set(features.subarray(i * dim + from, i * dim + from + width), i * width);
  return out;
}

const table: string[] = [
  "| features | dim | P@10 dept | P@10 classif | P@10 dept (centered) | P@10 classif (centered) | img/s |",
  "|---|---|---|---|---|---|---|",
];
const report = (name: string, f: Float32Array, dim: number, ips: number | string) => {
  const [d, c] = precisionAt10(f, dim, false);
  const [dc, cc] = precisionAt10(f, dim, true);
  const line = `| ${name} | ${dim} | ${d.toFixed(3)} | ${c.toFixed(3)} | ${dc.toFixed(3)} | ${cc.toFixed(3)} | ${typeof ips === "number" ? ips.toFixed(1) : ips} |`;
  table.push(line);
  console.log(line);
};

async function sweep(label: string, a: LayersArtifacts, spec: PreprocessSpec, cuts: string[]) {
  const conv = convertLayersToOnnx(a, { cutAt: cuts, pooling: "mean+std" });
  const { features, dim } = await embedAll(conv.onnx, spec);
  // Speed per single cut (mean pooling; std costs little), on 64 images.
  let from = 0;
  for (const cut of cuts) {
    const single = convertLayersToOnnx(a, { cutAt: [cut], pooling: "mean+std" });
    const { imgPerSec } = await embedAll(single.onnx, spec, 64);
    const c = single.dim / 2;
    report(`${label} ${cut} mean`, slice(features, dim, from, c), c, imgPerSec);
    report(`${label} ${cut} mean+std`, slice(features, dim, from, 2 * c), 2 * c, imgPerSec);
    from += 2 * c;
  }
  return { features, dim };
}

const mobile = loadNsfwjsModel("mobilenet_v2");
const mspec = MODEL_PRESETS["mobilenet-v2"]!.spec;
const mcuts = (
  args.find((a) => a.startsWith("--mcuts="))?.slice(8) ??
  "block_5_expand_relu,block_6_expand_relu,block_8_expand_relu,block_10_expand_relu,block_10_depthwise_relu"
).split(",");
await sweep("mobilenet_v2", mobile, mspec, mcuts);

if (args.includes("--inception")) {
  const inc = loadNsfwjsModel("inception_v3");
  const icuts = (args.find((a) => a.startsWith("--icuts="))?.slice(8) ?? "mixed2,mixed4,mixed5").split(",");
  await sweep("inception_v3", inc, MODEL_PRESETS["inception-v3-mixed5"]!.spec, icuts);
}
if (args.includes("--densenet")) {
  const dn = await loadLayersModelFile(`${shared}models/densenet121/model.json`);
  const conv = convertLayersToOnnx(dn, { cutAt: ["avg_pool"], pooling: "mean" });
  const { features, dim, imgPerSec } = await embedAll(conv.onnx, MODEL_PRESETS.densenet121!.spec);
  report("densenet121 avg_pool", features, dim, imgPerSec);
}
console.log(`\nthreads=${threads}, ${rows.length} images, random baseline dept 0.29 classif 0.13\n`);
console.log(table.join("\n"));
