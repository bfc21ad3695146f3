import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { SHARED_CACHE_DIR } from "../helpers/shared-cache.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = path.join(root, "bin/mosaic.js");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built binary as a user would, without a TTY. */
function mosaic(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", CI: "", ...env },
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

interface JsonResults {
  matches: number;
  results: { id: string; score: number; facets: Record<string, string> }[];
}

describe("the README's main job, on the built binary", () => {
  let cwd = "";
  let cache = "";
  let featurizeRun: Run;

  beforeAll(async () => {
    if (!existsSync(path.join(root, "dist/src/cli.js")))
      throw new Error("dist/ is missing: run `npm run build` first");
    cwd = await mkdtemp(path.join(tmpdir(), "mosaic-e2e-"));
    cache = SHARED_CACHE_DIR;
    featurizeRun = await mosaic(["featurize"], cwd, { MOSAIC_CACHE_DIR: cache });
  }, 300_000);

  it("featurizes the embedded sample without network or config", async () => {
    expect(featurizeRun.stderr).not.toContain("Error");
    expect(featurizeRun.code).toBe(0);
    expect(featurizeRun.stdout.trim()).toBe(path.join(cwd, ".mosaic/index"));
    const manifest = JSON.parse(await readFile(path.join(cwd, ".mosaic/index/manifest.json"), "utf8"));
    expect(manifest.count).toBe(120);
    // The catalog's own column names, for the legacy API's artwork objects.
    expect(manifest.columns).toEqual({
      id: "id",
      facets: { culture: "Culture", classification: "Classification" },
    });
    // Not a TTY: plain progress lines only, no ANSI escapes.
    expect(featurizeRun.stderr).not.toMatch(/\u001b\[/);
    expect(featurizeRun.stderr).toContain("Indexed 120 of 120");
  });

  it("decodes on worker threads to the same vectors, byte for byte", async () => {
    const run = await mosaic(["featurize", "--decode-workers", "2", "--out", "idx-workers"], cwd, {
      MOSAIC_CACHE_DIR: cache,
    });
    expect(run.code).toBe(0);
    const [main, workers] = await Promise.all([
      readFile(path.join(cwd, ".mosaic/index/vectors.f32")),
      readFile(path.join(cwd, "idx-workers/vectors.f32")),
    ]);
    expect(workers.equals(main)).toBe(true);
  });

  it("appends only the rows an index does not hold yet", async () => {
    const env = { MOSAIC_CACHE_DIR: cache };
    expect((await mosaic(["featurize", "--limit", "50", "--out", "grown"], cwd, env)).code).toBe(0);
    const run = await mosaic(["featurize", "--append", "--out", "grown", "--json"], cwd, env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      rowsRead: 120,
      alreadyIndexed: 50,
      indexed: 70,
      failed: 0,
    });
    const manifest = JSON.parse(await readFile(path.join(cwd, "grown/manifest.json"), "utf8"));
    expect(manifest.count).toBe(120);
    // The default's transform was fitted on the first 50 rows and kept; mosaic says a refit would pay.
    expect(manifest.transform).toMatchObject({ fittedOn: 50, dba: { k: 7 } });
    const again = await mosaic(["featurize", "--append", "--out", "grown"], cwd, env);
    expect(again.stderr).toMatch(/fitted on 50 of 120 rows; a refit/);
  });

  it("refuses to append another model's features to an index", async () => {
    const run = await mosaic(["featurize", "--append", "--out", "grown", "-m", "mobilenet-v2"], cwd, {
      MOSAIC_CACHE_DIR: cache,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /holds "nsfwjs\/mobilenet_v2#.*rgbhist8" features, not "nsfwjs\/mobilenet_v2#block_10_expand_relu#mean\+std"/,
    );
  });

  // The stored vectors went through DBA (each is blended with its 7 nearest neighbours) and the query
  // did not, so an exact image scores clearly high rather than 1.0.
  it("finds an image of the collection first, with a score far above the rest", async () => {
    const image = path.join(cache, "sample-v1/images/sample-persian-textile-3.jpg");
    const run = await mosaic(["query", image, "-n", "5", "--json"], cwd, { MOSAIC_CACHE_DIR: cache });
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as JsonResults;
    expect(out.results).toHaveLength(5);
    expect(out.results[0]?.id).toBe("sample-persian-textile-3");
    expect(out.results[0]?.score).toBeGreaterThanOrEqual(0.8);
  });

  it("returns only rows matching the filters", async () => {
    const image = path.join(cache, "sample-v1/images/sample-persian-textile-3.jpg");
    const run = await mosaic(
      [
        "query",
        image,
        "--culture",
        "Japanese",
        "--classification",
        "Print",
        "--classification",
        "Mosaic",
        "-n",
        "50",
        "--json",
      ],
      cwd,
      { MOSAIC_CACHE_DIR: cache },
    );
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as JsonResults;
    expect(out.matches).toBe(10);
    expect(out.results).toHaveLength(10);
    for (const r of out.results) {
      expect(r.facets.culture).toBe("Japanese");
      expect(["Print", "Mosaic"]).toContain(r.facets.classification);
    }
  });

  it("prints a readable table by default", async () => {
    const run = await mosaic(["query", "--id", "sample-dutch-ceramic-1", "-n", "3"], cwd);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/#\s+score\s+id\s+title\s+artist\s+culture\s+classification/);
    expect(lines).toHaveLength(4);
  });

  it("evaluates precision@k against the random baseline", async () => {
    const run = await mosaic(["eval", "--label", "classification", "--json"], cwd);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { precision: number; randomBaseline: number; evaluated: number };
    expect(result.evaluated).toBe(120);
    expect(result.precision).toBeGreaterThan(result.randomBaseline * 2);
  });

  it("eval compares indexes and shows the score spread before and after the transform", async () => {
    const run = await mosaic(
      ["eval", "--label", "classification", "--index", ".mosaic/index", "--index", "grown", "--json"],
      cwd,
    );
    expect(run.code).toBe(0);
    type Scores = { spread: number; rank1: number; random: number };
    const { runs } = JSON.parse(run.stdout) as {
      runs: {
        index: string;
        precision: number;
        scores: Scores;
        before: { precision: number; scores: Scores };
      }[];
    };
    expect(runs.map((r) => path.basename(r.index))).toEqual(["index", "grown"]);
    for (const r of runs) {
      // Raw non-negative features score every pair high; after the fit a related pair stands out.
      expect(r.scores.spread).toBeGreaterThan(r.before.scores.spread);
      expect(r.scores.spread).toBeGreaterThan(0.3);
    }
    const text = await mosaic(["eval", "--label", "classification"], cwd);
    expect(text.stdout).toMatch(
      /scores \(median\): best match [\d.]+ · rank 100 [-\d.]+ · random pair [-\d.]+ · spread/,
    );
    expect(text.stdout).toMatch(/before the collection-fitted transform \(raw 1808-d\)/);
    expect(text.stdout).toMatch(/per classification \(precision@10, items\):/);
  });
});
