import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeIndex } from "../../src/vector-index/write-index.js";
import { runCliInProcess } from "../helpers/run-cli-in-process.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { DIM, RECORDS, SPEC } from "../server/fixtures.js";

// Defect J8 (rest): `mosaic query <image>` loaded the model before it read the image, so a typo in the
// path cost a model load (or a conversion) before the error. The image is now read and decoded first.
// The index names a model file that does not exist: whichever is checked first decides the error.

let tmp: { dir: string; cleanup: () => Promise<void> };
let indexDir: string;
const missingModel = () => path.join(tmp.dir, "no-such-model.onnx");

beforeAll(async () => {
  tmp = await makeTempDir("mosaic-query-image-first-");
  indexDir = path.join(tmp.dir, "index");
  await writeIndex(indexDir, {
    model: { id: "fake-model", dim: DIM, preprocess: SPEC },
    facets: ["culture", "classification"],
    records: RECORDS,
    vectors: RECORDS.map((_, i) => Float32Array.from({ length: DIM }, (_, k) => (k === i ? 1 : 0))),
  });
  await writeFile(path.join(tmp.dir, "catalog.csv"), "id,title,image\n1,Night,night.jpg\n");
  await writeFile(path.join(tmp.dir, "empty.jpg"), "");
});
afterAll(() => tmp.cleanup());

const queryImage = (image: string) =>
  runCliInProcess(["query", image, "--index", indexDir, "--model", missingModel()], {
    cwd: tmp.dir,
    env: { MOSAIC_CACHE_DIR: path.join(tmp.dir, "cache") },
  });

describe("query checks the image before it loads the model", () => {
  it.each([
    ["a missing file", "nope.jpg", "does not exist"],
    ["a CSV file", "catalog.csv", "not_an_image"],
    ["an empty file", "empty.jpg", "Cannot use the image"],
  ])("%s fails on the image, not on the model", async (_what, image, message) => {
    const run = await queryImage(image);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Cannot use the image");
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain("no-such-model.onnx");
    expect(run.stderr).not.toContain("This is a bug");
  });

  it("a readable image gets as far as the model (whose error is then reported)", async () => {
    const sharp = (await import("sharp")).default;
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#c33" } })
      .jpeg()
      .toBuffer();
    await writeFile(path.join(tmp.dir, "ok.jpg"), jpeg);
    const run = await queryImage("ok.jpg");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("no-such-model.onnx");
  });
});
