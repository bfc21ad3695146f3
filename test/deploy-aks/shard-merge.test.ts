import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fnv1a32 } from "../../src/catalog/shard.js";
import { runCliInProcess } from "../helpers/run-cli-in-process.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { runWithAks } from "./run-program.js";

const SHARDS = 3;
const IMAGES = 30;
const DATA_FILES = ["vectors.f32", "records.jsonl", "postings.json"];

let dir: string;
let cleanup: () => Promise<void>;
let env: Record<string, string>;

/** A catalog of small, distinct PNGs; ids in shuffled order so catalog order ≠ id order. */
async function writeCatalog(root: string): Promise<string> {
  const cultures = ["dutch", "french", "japanese"];
  const kinds = ["painting", "print"];
  const rows = ["id,Thumbnail_Url,Culture,Classification"];
  for (let i = 0; i < IMAGES; i++) {
    const id = `art-${(i * 7919) % 1000}`;
    const file = `img-${i}.png`;
    const png = await sharp({
      create: {
        width: 24 + (i % 5),
        height: 20 + (i % 3),
        channels: 3,
        background: { r: (i * 37) % 256, g: (i * 91) % 256, b: (i * 53) % 256 },
      },
    })
      .png()
      .toBuffer();
    await writeFile(path.join(root, file), png);
    rows.push(`${id},${file},${cultures[i % 3]},${kinds[i % 2]}`);
  }
  // One row whose image is missing: a failure in whichever shard owns its id, never in the index.
  rows.push("art-missing,no-such-file.png,dutch,print");
  const catalog = path.join(root, "catalog.csv");
  await writeFile(catalog, `${rows.join("\n")}\n`);
  return catalog;
}

async function featurize(out: string, ...extra: string[]): Promise<void> {
  const run = await runCliInProcess(
    ["featurize", "--catalog", "catalog.csv", "--out", out, "--limit", "1000", "--no-tui", ...extra],
    { cwd: dir, env },
  );
  expect(run.stderr, run.stderr).not.toMatch(/Error/);
  expect(run.code).toBe(0);
}

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir("mosaic-shards-"));
  env = { MOSAIC_CACHE_DIR: path.join(dir, "cache") };
  await writeCatalog(dir);
}, 180_000);
afterAll(() => cleanup());

describe("featurize --shard i/N, then index merge", () => {
  it("gives byte-identical data files to one run (manifest differs only in createdAt)", async () => {
    await featurize("single");
    for (let i = 0; i < SHARDS; i++) await featurize(`part-${i}`, "--shard", `${i}/${SHARDS}`);

    // Each shard holds exactly its ids, in id order.
    const allIds: string[] = [];
    for (let i = 0; i < SHARDS; i++) {
      const lines = (await readFile(path.join(dir, `part-${i}`, "records.jsonl"), "utf8")).trim().split("\n");
      const ids = lines.filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id);
      expect(ids.every((id) => fnv1a32(id) % SHARDS === i)).toBe(true);
      expect(ids).toEqual([...ids].sort());
      allIds.push(...ids);
    }
    expect(allIds).toHaveLength(IMAGES);

    // Merge in an arbitrary input order, through the CLI: the output order is by id regardless.
    const merge = await runWithAks(["index", "merge", "merged", "part-2", "part-0", "part-1"], {
      cwd: dir,
      env,
    });
    expect(merge.stderr, merge.stderr).not.toMatch(/Error/);
    expect(merge.code).toBe(0);
    expect(merge.stdout).toBe(`${path.join(dir, "merged")}\n`);

    for (const file of DATA_FILES) {
      const single = await readFile(path.join(dir, "single", file));
      const merged = await readFile(path.join(dir, "merged", file));
      expect(merged.equals(single), `${file} differs`).toBe(true);
    }
    const manifest = async (d: string) => {
      const m = JSON.parse(await readFile(path.join(dir, d, "manifest.json"), "utf8")) as Record<
        string,
        unknown
      >;
      delete m.createdAt;
      return m;
    };
    expect(await manifest("merged")).toEqual(await manifest("single"));
  }, 300_000);

  it("rejects a malformed --shard", async () => {
    const run = await runCliInProcess(["featurize", "--shard", "3/3", "--dry-run"], { cwd: dir, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/i\/N/);
  });
});
