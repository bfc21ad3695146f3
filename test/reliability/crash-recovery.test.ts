import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeOnnxModel, int64Tensor, OnnxDataType } from "../../src/model/onnx-proto.js";
import { assertBuilt, runMosaic } from "../helpers/mosaic-bin.js";
import { makeTempDir } from "../helpers/temp-dir.js";

// Defect J7: every SIGKILL left `<out>.tmp-*`, a kill between the swap's two renames left no index at
// --out, and --append copied a crashed save's `hnsw.usearch.tmp-*` forward. A child is killed at points an
// env hook names (MOSAIC_CRASH_AT); the next run must clean up, recover, and write the same index as an
// uninterrupted run.

let dir: string;
let cleanup: () => Promise<void>;
const ROWS = 6;

beforeAll(async () => {
  assertBuilt();
  ({ dir, cleanup } = await makeTempDir("mosaic-crash-"));
  // A mean-colour model keeps each run to its index writing, which is what is under test.
  await writeFile(
    path.join(dir, "m.onnx"),
    encodeOnnxModel({
      graphName: "mean-colour",
      nodes: [
        { opType: "ReduceMean", inputs: ["x", "axes"], outputs: ["features"], attributes: { keepdims: 0 } },
      ],
      initializers: [int64Tensor("axes", [2], [1, 2])],
      inputs: [{ name: "x", elemType: OnnxDataType.FLOAT, shape: ["N", 32, 32, 3] }],
      outputs: [{ name: "features", elemType: OnnxDataType.FLOAT, shape: ["N", 3] }],
      opset: 18,
      irVersion: 8,
      producerName: "mosaic-test",
      producerVersion: "0",
    }),
  );
  const lines = ["id,title,image"];
  for (let i = 0; i < ROWS; i++) {
    const background = { r: 40 * i, g: 255 - 30 * i, b: (90 * i) % 256 };
    await sharp({ create: { width: 16, height: 16, channels: 3, background } })
      .png()
      .toFile(path.join(dir, `p${i}.png`));
    lines.push(`a${i},T${i},p${i}.png`);
  }
  await writeFile(path.join(dir, "cat.csv"), `${lines.join("\n")}\n`);
});
afterAll(() => cleanup());

const featurize = (out: string, env: Record<string, string> = {}, ...extra: string[]) =>
  runMosaic(
    [
      "featurize",
      "--catalog",
      "cat.csv",
      "--out",
      out,
      "--id-column",
      "id",
      "--image-column",
      "image",
      "--facet",
      "culture=title",
      "--device",
      "cpu",
      "--no-tui",
      "--model",
      "m.onnx",
      ...extra,
    ],
    dir,
    env,
  );

/** SHA-256 of every file of an index but the manifest (which records its creation time). */
async function checksums(index: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(index)).sort()) {
    if (name === "manifest.json") continue;
    out[name] = createHash("sha256")
      .update(await readFile(path.join(index, name)))
      .digest("hex");
  }
  return out;
}

const leftovers = async () => (await readdir(dir)).filter((n) => /^out\.(tmp|old)-/.test(n));

describe("a run killed at any point of the index write", () => {
  let baseline: Record<string, string>;

  beforeAll(async () => {
    const run = await featurize("reference");
    expect(run.stderr).not.toContain("Error");
    expect(run.code).toBe(0);
    baseline = await checksums(path.join(dir, "reference"));
    expect(Object.keys(baseline)).toContain("records.jsonl");
    expect((await featurize("out")).code).toBe(0);
  }, 120_000);

  for (const point of ["index-data-written", "swap-moved-aside", "swap-renamed"]) {
    it(`at ${point}: the next run recovers and writes the same index, no temp dirs remain`, async () => {
      const killed = await featurize("out", { MOSAIC_CRASH_AT: point });
      expect(killed.code).toBeNull(); // SIGKILLed at the hook
      expect((await leftovers()).length).toBeGreaterThan(0);
      const rerun = await featurize("out");
      expect(rerun.stderr).not.toContain("Error");
      expect(rerun.code).toBe(0);
      expect(await leftovers()).toEqual([]);
      expect(await checksums(path.join(dir, "out"))).toEqual(baseline);
    }, 120_000);
  }

  it("--append does not carry a crashed sidecar save forward", async () => {
    const stray = "hnsw.usearch.tmp-999999-deadbeef";
    await writeFile(path.join(dir, "out", stray), "half a graph");
    const run = await featurize("out", {}, "--append");
    expect(run.code).toBe(0);
    expect(await readdir(path.join(dir, "out"))).not.toContain(stray);
    expect(await leftovers()).toEqual([]);
  }, 120_000);
});
