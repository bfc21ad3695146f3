import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { indexInfo } from "../../src/vector-index/index-info.js";
import { writeIndex } from "../../src/vector-index/write-index.js";
import { runCliInProcess } from "../helpers/run-cli-in-process.js";
import { model, tempDir } from "./helpers.js";

let tmp: Awaited<ReturnType<typeof tempDir>>;
let dir: string;
beforeEach(async () => {
  tmp = await tempDir();
  dir = path.join(tmp.root, "idx");
  const facets = [
    { culture: "Japanese", classification: "Woodblock Print" },
    { culture: "Japanese", classification: "Painting" },
    { culture: "Dutch", classification: "Painting" },
    { culture: "", classification: "Painting" },
  ];
  await writeIndex(dir, {
    model: model(3, "mobilenet-v2"),
    facets: ["culture", "classification"],
    columns: { id: "Object ID", facets: { culture: "Culture", classification: "Classification" } },
    records: facets.map((f, i) => ({ id: `a${i}`, image: `images/${i}.jpg`, facets: f, meta: {} })),
    vectors: facets.map((_, i) => Float32Array.from([1, i, 0])),
  });
  await writeFile(path.join(dir, "failures.jsonl"), '{"id":"a9","reason":"404"}\n');
});
afterEach(() => tmp.cleanup());

describe("mosaic index info", () => {
  it("reports count, model, dim, created, facet values with counts and sidecars", async () => {
    const info = await indexInfo(dir);
    expect(info).toMatchObject({
      count: 4,
      model: "mobilenet-v2",
      dim: 3,
      formatVersion: 1,
      idColumn: "Object ID",
    });
    expect(Date.parse(info.createdAt)).not.toBeNaN();
    expect(info.facets).toEqual([
      {
        name: "culture",
        column: "Culture",
        withValue: 3,
        values: [
          { value: "Japanese", count: 2 },
          { value: "Dutch", count: 1 },
        ],
      },
      {
        name: "classification",
        column: "Classification",
        withValue: 4,
        values: [
          { value: "Painting", count: 3 },
          { value: "Woodblock Print", count: 1 },
        ],
      },
    ]);
    expect(info.files.map((f) => f.file).sort()).toEqual(["postings.json", "records.jsonl", "vectors.f32"]);
    expect(info.sidecars).toEqual([
      { file: "failures.jsonl", bytes: 27, what: "rows featurize could not index, with the reason" },
    ]);
  });

  it("prints it for people, or as one JSON document with --json", async () => {
    const text = await runCliInProcess(["index", "info", dir], { cwd: tmp.root });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("records   4");
    expect(text.stdout).toContain("model     mobilenet-v2 (dim 3)");
    expect(text.stdout).toContain("culture ← Culture: 2 values, 1 records without one");
    expect(text.stdout).toContain("Painting (3), Woodblock Print (1)");
    expect(text.stdout).toContain("failures.jsonl");
    const json = await runCliInProcess(["--json", "index", "info", dir], { cwd: tmp.root });
    expect(JSON.parse(json.stdout)).toMatchObject({ count: 4, dim: 3, model: "mobilenet-v2" });
    // The configured index is the default.
    const configured = await runCliInProcess(["--json", "index", "info"], {
      cwd: tmp.root,
      env: { MOSAIC_INDEX: dir },
    });
    expect(JSON.parse(configured.stdout).count).toBe(4);
  });

  it("a missing index says how to make one", async () => {
    const run = await runCliInProcess(["index", "info", path.join(tmp.root, "nope")], { cwd: tmp.root });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/No index found/);
  });
});
