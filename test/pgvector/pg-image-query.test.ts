import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResultsJson } from "../../src/query/format-results.js";
import { type PgliteServer, startPgliteServer } from "../helpers/pglite-server.js";
import { runCliInProcess } from "../helpers/run-cli-in-process.js";
import { SHARED_CACHE_DIR } from "../helpers/shared-cache.js";
import { makeTempDir } from "../helpers/temp-dir.js";

/**
 * A version-2 index (the default model's collection-fitted transform) pushed to PostgreSQL answers image
 * queries as the directory does: the push stores transform.f32 beside the manifest. Before, the pushed
 * table refused every image query ("its parameters were not loaded").
 */
let server: PgliteServer;
let tmp: { dir: string; cleanup: () => Promise<void> };
const env = () => ({ MOSAIC_CACHE_DIR: SHARED_CACHE_DIR, NO_COLOR: "1" });
let indexDir = "";
let image = "";

beforeAll(async () => {
  server = await startPgliteServer();
  tmp = await makeTempDir("mosaic-pg-image-");
  const run = await runCliInProcess(["featurize", "--limit", "24", "--no-tui"], { cwd: tmp.dir, env: env() });
  expect(run.code, run.stderr).toBe(0);
  indexDir = path.join(tmp.dir, ".mosaic/index");
  const manifest = JSON.parse(await readFile(path.join(indexDir, "manifest.json"), "utf8")) as {
    imageRoot: string;
    transform?: unknown;
  };
  expect(manifest.transform).toBeDefined();
  const first = JSON.parse((await readFile(path.join(indexDir, "records.jsonl"), "utf8")).split("\n")[0]!);
  image = path.resolve(indexDir, manifest.imageRoot, first.image as string);
}, 300_000);

afterAll(async () => {
  await server?.stop();
  await tmp?.cleanup();
});

const hits = (stdout: string) => (JSON.parse(stdout) as ResultsJson).results;

describe("image queries on a pushed version-2 index", () => {
  it("give the directory's results, ids and scores, filtered or not", async () => {
    const url = `${server.url}?table=art_v2&pool=1`;
    const push = await runCliInProcess(["index", "push", indexDir, url, "--json"], {
      cwd: tmp.dir,
      env: env(),
    });
    expect(push.code, push.stderr).toBe(0);
    for (const filter of [[], ["--culture", "japanese"]]) {
      const args = ["query", image, "-n", "8", "--engine", "exact", ...filter, "--json"];
      const file = await runCliInProcess([...args, "--index", indexDir], { cwd: tmp.dir, env: env() });
      expect(file.code, file.stderr).toBe(0);
      const pg = await runCliInProcess([...args, "--index", url], { cwd: tmp.dir, env: env() });
      expect(pg.code, pg.stderr).toBe(0);
      const want = hits(file.stdout);
      const got = hits(pg.stdout);
      expect(want.length).toBeGreaterThan(0);
      expect(got.map((h) => h.id)).toEqual(want.map((h) => h.id));
      for (const [i, h] of got.entries()) expect(h.score).toBeCloseTo(want[i]!.score, 5);
    }
  }, 300_000);
});
