/**
 * bench/featurize: end-to-end featurize img/s (JPEG files → index, through the real pipeline) against
 * model-only ONNX Runtime img/s on the same model, batch size and thread count, measured in the same run.
 * Goal (issue B): pipeline ≥ 0.9× model-only.
 *
 *   npm run bench:featurize                 # both embedded models, 480 generated JPEGs (or aic-sample)
 *   BENCH_MODELS=mobilenet-v2 BENCH_IMAGES=960 BENCH_DECODE_WORKERS=1 npm run bench:featurize
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import sharp from "sharp";
import { createEmbedder } from "../src/model/embedder.js";
import { ensureOnnx } from "../src/model/ensure-onnx.js";
import { resolveModel } from "../src/model/presets.js";

const models = (process.env.BENCH_MODELS ?? "mobilenet-v2,inception-v3-mixed5").split(",");
const imageCount = Number(process.env.BENCH_IMAGES ?? 480);
const batchSize = Number(process.env.BENCH_BATCH ?? 32);
const aicSample = path.resolve(import.meta.dirname, "../../shared/data/aic-sample");

async function makeCatalog(dir: string): Promise<string> {
  const lines = ["id\tTitle\tThumbnail_Url\tCulture\tClassification"];
  if (existsSync(aicSample)) {
    // Real museum thumbnails (256 px), repeated to reach the image count.
    const { readdir } = await import("node:fs/promises");
    const files = (await readdir(path.join(aicSample, "images"))).sort();
    for (let i = 0; i < imageCount; i++) {
      const f = files[i % files.length] as string;
      lines.push(`img-${i}\t${f}\t${path.join(aicSample, "images", f)}\tx\ty`);
    }
    console.log(`images: ${imageCount} JPEGs from ../shared/data/aic-sample (256 px thumbnails)`);
  } else {
    await mkdir(path.join(dir, "images"), { recursive: true });
    for (let i = 0; i < imageCount; i++) {
      const file = path.join(dir, "images", `${i}.jpg`);
      const noise = Buffer.alloc(192 * 256 * 3);
      for (let j = 0; j < noise.length; j++) noise[j] = (j * 31 + i * 17) & 0xff;
      await sharp(noise, { raw: { width: 256, height: 192, channels: 3 } })
        .jpeg({ quality: 85 })
        .toFile(file);
      lines.push(`img-${i}\tgenerated ${i}\t${file}\tx\ty`);
    }
    console.log(`images: ${imageCount} generated 256×192 JPEGs (../shared absent)`);
  }
  const catalog = path.join(dir, "catalog.tsv");
  await writeFile(catalog, `${lines.join("\n")}\n`);
  return catalog;
}

async function modelOnly(name: string, cacheDir: string, threads: number): Promise<number> {
  const plan = resolveModel(name);
  const { onnxPath } = await ensureOnnx(plan, { cacheDir });
  const embedder = await createEmbedder({ onnxPath, spec: plan.spec, threads });
  const batch = new Float32Array(batchSize * plan.spec.height * plan.spec.width * 3).map(
    (_, i) => (i % 255) / 255,
  );
  await embedder.embed(batch, batchSize); // warm-up
  const started = performance.now();
  let done = 0;
  while (done < imageCount) {
    const n = Math.min(batchSize, imageCount - done);
    await embedder.embed(
      n === batchSize ? batch : batch.subarray(0, n * plan.spec.height * plan.spec.width * 3),
      n,
    );
    done += n;
  }
  const seconds = (performance.now() - started) / 1000;
  await embedder.close();
  return done / seconds;
}

async function endToEnd(name: string, catalog: string, cacheDir: string, out: string, threads: number) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let json = "";
  stdout.on("data", (c: Buffer) => (json += c.toString()));
  stderr.resume();
  const code = await runCli(
    [
      "featurize",
      "--catalog",
      catalog,
      "--out",
      out,
      "--model",
      name,
      "--batch-size",
      String(batchSize),
      "--threads",
      String(threads),
      ...(process.env.BENCH_DECODE_WORKERS ? ["--decode-workers", process.env.BENCH_DECODE_WORKERS] : []),
      "--json",
    ],
    {
      stdout,
      stderr,
      cwd: process.cwd(),
      env: { ...process.env, MOSAIC_CACHE_DIR: cacheDir },
      signal: new AbortController().signal,
    },
  );
  if (code !== 0) throw new Error(`featurize exited ${code}`);
  const summary = JSON.parse(json) as { indexed: number; seconds: number };
  return summary.indexed / summary.seconds;
}

// The end-to-end run goes through the built package, as users run it (decode workers need dist/ too).
const distCli = new URL("../dist/src/run-cli.js", import.meta.url).href;
const { runCli } = (await import(distCli).catch(() => {
  throw new Error("dist/ is missing: run `npm run build` (npm run bench:featurize does)");
})) as typeof import("../src/run-cli.js");

const work = await mkdtemp(path.join(tmpdir(), "mosaic-bench-"));
const cacheDir = process.env.MOSAIC_CACHE_DIR ?? path.join(work, "cache");
const threads = Number(process.env.BENCH_THREADS ?? availableParallelism());
try {
  const catalog = await makeCatalog(work);
  console.log(`cores: ${availableParallelism()}, ORT threads: ${threads}, batch: ${batchSize}\n`);
  console.log("model                 model-only img/s   end-to-end img/s   ratio");
  for (const name of models) {
    const base = await modelOnly(name, cacheDir, threads);
    const e2e = await endToEnd(name, catalog, cacheDir, path.join(work, `index-${name}`), threads);
    console.log(
      `${name.padEnd(22)}${base.toFixed(1).padStart(16)}${e2e.toFixed(1).padStart(19)}${(e2e / base).toFixed(2).padStart(8)}×`,
    );
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
