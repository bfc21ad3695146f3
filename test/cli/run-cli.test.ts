import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCliInProcess } from "../helpers/run-cli-in-process.js";

const tempDir = () => mkdtemp(path.join(tmpdir(), "mosaic-cli-"));

describe("mosaic CLI (in process)", () => {
  it("prints help listing only the commands that work", async () => {
    const run = await runCliInProcess(["--help"], { cwd: await tempDir() });
    expect(run.code).toBe(0);
    for (const word of [
      "featurize",
      "query",
      "eval",
      "--json",
      "--no-tui",
      "--verbose",
      "--no-color",
      "--config",
    ]) {
      expect(run.stdout).toContain(word);
    }
  });

  it("prints the version", async () => {
    const run = await runCliInProcess(["--version"], { cwd: await tempDir() });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("exits 2 on an unknown command or a bad flag value", async () => {
    const cwd = await tempDir();
    expect((await runCliInProcess(["frobnicate"], { cwd })).code).toBe(2);
    const bad = await runCliInProcess(["featurize", "--batch-size", "zero"], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("positive integer");
  });

  it("exits 2 naming the file and field of a broken config", async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, "mosaic.config.json"), JSON.stringify({ concurrency: "many" }));
    const run = await runCliInProcess(["featurize", "--dry-run"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("mosaic.config.json");
    expect(run.stderr).toContain("concurrency");
    expect(run.stdout).toBe("");
  });

  it("exits 1 with a hint when there is no index to query", async () => {
    const cwd = await tempDir();
    const run = await runCliInProcess(["query", "--id", "x"], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Hint: .*featurize/);
  });

  it("exits 2 when neither or both of image and --id are given", async () => {
    const run = await runCliInProcess(["query"], { cwd: await tempDir() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("either an image");
    const both = await runCliInProcess(["query", "x.jpg", "--id", "a1"], { cwd: await tempDir() });
    expect(both.code).toBe(2);
  });

  it("dry-runs a catalog: reads, fetches and decodes, reports every failure, writes nothing", async () => {
    const cwd = await tempDir();
    const sharp = (await import("sharp")).default;
    await sharp({ create: { width: 64, height: 48, channels: 3, background: "#c33" } })
      .jpeg()
      .toFile(path.join(cwd, "red.jpg"));
    await writeFile(path.join(cwd, "not-an-image.jpg"), "<html>nope</html>");
    const tsv = [
      "id\tTitle\tThumbnail_Url\tCulture\tClassification",
      "1\tRed\tred.jpg\tX\tY",
      "2\tFake\tnot-an-image.jpg\tX\tY",
      "3\tMissing\tmissing.jpg\tX\tY",
      "\tNo id\tred.jpg\tX\tY",
      "1\tDuplicate\tred.jpg\tX\tY",
    ].join("\n");
    await writeFile(path.join(cwd, "catalog.tsv"), `${tsv}\n`);
    const run = await runCliInProcess(["featurize", "--catalog", "catalog.tsv", "--dry-run", "--json"], {
      cwd,
      env: { MOSAIC_CACHE_DIR: path.join(cwd, "cache") },
    });
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      rowsRead: 5,
      indexed: 1,
      failed: 4,
      dryRun: true,
      failuresByReason: { not_an_image: 1, not_found: 1, missing_id: 1, duplicate_id: 1 },
    });
    // --json: stderr carries NDJSON events only.
    for (const line of run.stderr.trim().split("\n")) expect(() => JSON.parse(line)).not.toThrow();
  });
});
