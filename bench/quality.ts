/**
 * bench/quality: retrieval quality of candidate recipes on the two real collections in ../shared, with
 * their width and end-to-end featurize speed, the previous default measured in the same run.
 *
 *   npm run bench:quality                      # mobilenet-v2 (old default) and mobilenet-v2-art (default)
 *   npm run bench:quality -- --densenet        # + DenseNet121 from ../shared/models/densenet121 (slow)
 *   BENCH_THREADS=2 npm run bench:quality
 *
 * Each model is featurized once per collection by the real CLI (`mosaic featurize`, timed end to end:
 * decode, model, the transform fit and DBA); candidate recipes that only differ in post-processing are
 * evaluated from the same index (its raw.f32, or its vectors for a model without a transform).
 * P@10 is leave-one-out precision@10 of the same label (`mosaic eval`); "−artist" excludes neighbours by
 * the query's own artist. Skips with a message when ../shared is absent.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fitTransform } from "../src/model/collection-transform.js";
import { loadTransform } from "../src/model/collection-postprocess.js";
import { applyTransform } from "../src/model/collection-transform.js";
import { dbaAll } from "../src/model/dba.js";
import { resolveModel } from "../src/model/presets.js";
import { evaluatePrecisionAtK } from "../src/search/eval.js";
import { loadIndex } from "../src/vector-index/load-index.js";
import { readRawVectors } from "../src/vector-index/read-index-files.js";
import type { VectorIndex } from "../src/vector-index/types.js";
import { vectorIndex } from "../src/vector-index/vector-index.js";

const repo = path.resolve(import.meta.dirname, "..");
const shared = path.resolve(repo, "../shared");
const work = path.join(repo, ".mosaic/bench-quality");
const threads = process.env.BENCH_THREADS ?? "2";
const withDensenet = process.argv.includes("--densenet");

interface Collection {
  name: string;
  catalog: string;
  facets: string[];
  /** [label, excludeSame] pairs to report. */
  evals: [label: string, exclude?: string][];
}

const collections: Collection[] = [
  {
    name: "style-tune",
    catalog: path.join(shared, "data/style-tune/catalog.csv"),
    facets: ["style", "artist"],
    evals: [["style"], ["style", "artist"]],
  },
  {
    name: "aic-sample",
    catalog: path.join(shared, "data/aic-sample/catalog.csv"),
    facets: ["department", "classification", "artist"],
    evals: [["department"], ["classification"]],
  },
];

interface ModelRun {
  name: string;
  args: string[];
}

const models: ModelRun[] = [
  { name: "mobilenet-v2", args: ["-m", "mobilenet-v2"] },
  { name: "mobilenet-v2-art", args: ["-m", "mobilenet-v2-art"] },
];
const densenet = path.join(shared, "models/densenet121/model.json");
if (withDensenet && existsSync(densenet))
  models.push({ name: "densenet121", args: ["-m", densenet, "--model-preset", "densenet121"] });

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repo, "bin/mosaic.js"), ...args], {
      cwd: repo,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The same records over other vectors (another width). */
function withVectors(index: VectorIndex, vectors: Float32Array, dim: number): VectorIndex {
  const { transform: _, ...manifest } = index.manifest;
  return vectorIndex({
    manifest: { ...manifest, version: 1, dim, model: { ...manifest.model, dim } },
    vectors,
    records: index.records,
    postings: index.postings,
  });
}

interface Row {
  collection: string;
  recipe: string;
  dim: number;
  imgPerSec: number;
  scores: Record<string, number>;
  spread: number;
}

function evaluate(c: Collection, index: VectorIndex): { scores: Record<string, number>; spread: number } {
  const scores: Record<string, number> = {};
  let spread = Number.NaN;
  for (const [label, exclude] of c.evals) {
    const r = evaluatePrecisionAtK(index, { label, k: 10, excludeSame: exclude });
    scores[exclude ? `${label} −${exclude}` : label] = r.precision;
    spread = r.scores.spread;
  }
  return { scores, spread };
}

async function main(): Promise<void> {
  if (!existsSync(shared)) {
    console.log(
      `bench:quality skipped: ${shared} not found (the style-tune and aic-sample collections live there)`,
    );
    return;
  }
  await mkdir(work, { recursive: true });
  console.log(`bench:quality — ${threads} ORT threads; featurize timed end to end (decode, model, fit, DBA)`);
  const rows: Row[] = [];
  for (const c of collections) {
    if (!existsSync(c.catalog)) {
      console.log(`${c.name}: ${c.catalog} not found, skipped`);
      continue;
    }
    for (const m of models) {
      const out = path.join(work, `${c.name}-${m.name}`);
      const started = performance.now();
      const res = await run([
        "featurize",
        "--catalog",
        c.catalog,
        "--out",
        out,
        ...m.args,
        "--threads",
        threads,
        "--id-column",
        "id",
        "--image-column",
        "image",
        ...c.facets.flatMap((f) => ["--facet", `${f}=${f}`]),
        "--cache-dir",
        path.join(work, "cache"),
        "--json",
      ]);
      const seconds = (performance.now() - started) / 1000;
      if (res.code !== 0)
        throw new Error(`featurize ${c.name} ${m.name} failed:\n${res.stderr.slice(-2000)}`);
      const index = await loadIndex(out);
      const imgPerSec = index.count / seconds;
      const add = (recipe: string, v: VectorIndex) =>
        rows.push({ collection: c.name, recipe, dim: v.dim, imgPerSec, ...evaluate(c, v) });
      if (index.transform) {
        const raw = await readRawVectors(out, index.manifest, false);
        const fit = loadTransform(index.transform);
        add(`${m.name} raw`, withVectors(index, raw, index.manifest.model.dim));
        add(`${m.name} +PW`, withVectors(index, applyTransform(fit, raw, index.count), fit.outDim));
        add(`${m.name} +PW+DBA (as shipped)`, index);
      } else {
        add(`${m.name} raw (as shipped)`, index);
        // The same post-processing on one block of these features, fitted here.
        const k = Math.min(256, index.count - 1);
        const recipe = {
          kind: "pw" as const,
          blocks: [{ dim: index.dim, k, weight: 1 }],
          shrink: 0.3,
          power: 0.375,
        };
        const w = applyTransform(
          fitTransform(recipe, index.vectors, index.count),
          index.vectors,
          index.count,
        );
        add(`${m.name} +PW+DBA`, withVectors(index, dbaAll(w, index.count, k, 7).vectors, k));
      }
    }
  }
  const labels = [...new Set(rows.flatMap((r) => Object.keys(r.scores)))];
  const head = ["collection", "recipe", ...labels.map((l) => `P@10 ${l}`), "spread", "dim", "img/s"];
  console.log(`\n| ${head.join(" | ")} |\n|${head.map(() => "---").join("|")}|`);
  for (const r of rows) {
    const cells = labels.map((l) => (r.scores[l] === undefined ? "" : r.scores[l]!.toFixed(3)));
    console.log(
      `| ${r.collection} | ${r.recipe} | ${cells.join(" | ")} | ${r.spread.toFixed(2)} | ${r.dim} | ${r.imgPerSec.toFixed(0)} |`,
    );
  }
  console.log(`\ndefault model: ${resolveModel("mobilenet-v2-art").id}`);
}

await main();
