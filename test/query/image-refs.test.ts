import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess } from "../helpers/run-cli-in-process.js";
import { SHARED_CACHE_DIR } from "../helpers/shared-cache.js";
import { makeTempDir } from "../helpers/temp-dir.js";

/**
 * Defect J-11c: results carried the building machine's absolute image path. Records now keep the
 * catalog's own reference (here the sample catalog's `images/<id>.jpg`), and the manifest says where that
 * is relative to the index.
 */
let tmp: { dir: string; cleanup: () => Promise<void> };
const env = () => ({ MOSAIC_CACHE_DIR: SHARED_CACHE_DIR, NO_COLOR: "1" });
beforeAll(async () => {
  tmp = await makeTempDir("mosaic-image-refs-");
  const run = await runCliInProcess(["featurize", "--limit", "6", "--no-tui"], { cwd: tmp.dir, env: env() });
  expect(run.stderr).not.toMatch(/Error/);
  expect(run.code).toBe(0);
}, 300_000);
afterAll(() => tmp.cleanup());

describe("image references in the index and in results", () => {
  it("records hold the path relative to the catalog; the manifest's imageRoot leads there", async () => {
    const index = path.join(tmp.dir, ".mosaic/index");
    const records = (await readFile(path.join(index, "records.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; image: string });
    for (const r of records) expect(r.image).toBe(`images/${r.id}.jpg`);
    const manifest = JSON.parse(await readFile(path.join(index, "manifest.json"), "utf8")) as {
      imageRoot: string;
    };
    expect(path.isAbsolute(manifest.imageRoot)).toBe(false);
    const first = path.resolve(index, manifest.imageRoot, records[0]!.image);
    expect((await readFile(first)).length).toBeGreaterThan(0);
  });

  it("query --json and the table show that reference, never an absolute path", async () => {
    const id = JSON.parse(
      (await readFile(path.join(tmp.dir, ".mosaic/index/records.jsonl"), "utf8")).split("\n")[0]!,
    ).id as string;
    const json = await runCliInProcess(["--json", "query", "--id", id, "-n", "3"], {
      cwd: tmp.dir,
      env: env(),
    });
    expect(json.code).toBe(0);
    const results = (JSON.parse(json.stdout) as { results: { id: string; image: string }[] }).results;
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.image).toBe(`images/${r.id}.jpg`);
    const table = await runCliInProcess(["query", "--id", id, "-n", "3"], { cwd: tmp.dir, env: env() });
    expect(table.stdout.split("\n")[0]).toMatch(/\bimage$/);
    expect(table.stdout).toContain(`images/${results[0]!.id}.jpg`);
    expect(table.stdout).not.toContain(SHARED_CACHE_DIR);
  });

  it("serve reads thumbnails through the relative reference, and a SIGTERM stop exits 0", async () => {
    const id = JSON.parse(
      (await readFile(path.join(tmp.dir, ".mosaic/index/records.jsonl"), "utf8")).split("\n")[0]!,
    ).id as string;
    const stop = new AbortController();
    let thumbnail: { status: number; type: string | null } | undefined;
    let asked = false;
    const run = await runCliInProcess(["serve", "--port", "0"], {
      cwd: tmp.dir,
      env: env(),
      signal: stop.signal,
      onStderr: (text) => {
        const ready = /"url":"(http:[^"]+)"[^\n]*"msg":"ready"/.exec(text);
        if (!ready || asked) return;
        asked = true;
        fetch(`${ready[1]}/v1/artworks/${id}/image?size=64`)
          .then((res) => {
            thumbnail = { status: res.status, type: res.headers.get("content-type") };
          })
          .finally(() => stop.abort()); // what cli.ts does on SIGTERM
      },
    });
    expect(thumbnail).toEqual({ status: 200, type: "image/jpeg" });
    // A requested, clean stop is a success (docker / Kubernetes see "completed", not "error").
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("shutting down");
  }, 120_000);
});
