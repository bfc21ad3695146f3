import { open, readFile, rename, rm, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MosaicError } from "../../src/errors.js";
import { createIndexWriter } from "../../src/vector-index/index-writer.js";
import { loadIndex } from "../../src/vector-index/load-index.js";
import { writeIndex } from "../../src/vector-index/write-index.js";
import { model, randomData, strayEntries, tempDir } from "./helpers.js";

let root: string;
let dir: string;
let cleanup: () => Promise<void>;
const data = randomData(12, 4, 7);

beforeEach(async () => {
  ({ root, cleanup } = await tempDir());
  dir = join(root, "idx");
  await writeIndex(dir, { model: model(4, "resnet50"), facets: ["culture", "kind"], ...data });
});
afterEach(() => cleanup());

async function loadError(options: Parameters<typeof loadIndex>[1] = {}): Promise<MosaicError> {
  const err = await loadIndex(dir, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MosaicError);
  return err as MosaicError;
}

describe("crash safety", () => {
  it("an aborted writer leaves the old index intact and no temp dirs", async () => {
    const before = await loadIndex(dir);
    const writer = await createIndexWriter(dir, { model: model(4, "resnet50"), facets: [] });
    const other = randomData(3, 4, 8, "x");
    for (let i = 0; i < 3; i++) await writer.add(other.records[i]!, other.vectors[i]!);
    expect((await strayEntries(root, ["idx"])).length).toBe(1); // the temp dir, while writing
    await writer.abort();
    const after = await loadIndex(dir);
    expect(after.records).toEqual(before.records);
    expect(after.vectors).toEqual(before.vectors);
    expect(await strayEntries(root, ["idx"])).toEqual([]);
  });

  it("a write that fails half-way leaves the old index intact", async () => {
    const bad = randomData(5, 4, 9, "y");
    bad.vectors[3] = new Float32Array([1, 2, Number.POSITIVE_INFINITY, 4]);
    await expect(writeIndex(dir, { model: model(4, "resnet50"), facets: [], ...bad })).rejects.toThrow(
      /non-finite/,
    );
    expect((await loadIndex(dir)).records).toEqual(data.records);
    expect(await strayEntries(root, ["idx"])).toEqual([]);
  });

  it("a reader of a dir whose manifest was never written gets a featurize hint", async () => {
    await rm(join(dir, "manifest.json"));
    const err = await loadError();
    expect(err.message).toMatch(/manifest\.json is missing/);
    expect(err.hint).toMatch(/mosaic featurize/);
  });

  it("a swap interrupted between its renames points at the .old dir", async () => {
    await rename(dir, `${dir}.old-123-abcd`);
    const err = await loadError();
    expect(err.message).toMatch(/No index found/);
    expect(err.hint).toContain(`${dir}.old-123-abcd`);
  });
});

describe("validation", () => {
  it("a missing index says to run featurize first", async () => {
    await rm(dir, { recursive: true });
    const err = await loadError();
    expect(err.message).toContain(dir);
    expect(err.hint).toMatch(/run mosaic featurize first/);
  });

  it("a flipped byte in vectors.f32 is a checksum error naming the file", async () => {
    const fh = await open(join(dir, "vectors.f32"), "r+");
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, 17);
    b[0] = b[0]! ^ 0xff;
    await fh.write(b, 0, 1, 17);
    await fh.close();
    const err = await loadError();
    expect(err.message).toContain(join(dir, "vectors.f32"));
    expect(err.message).toMatch(/sha256/);
    expect(err.hint).toMatch(/featurize/);
    // verify: false trusts the bytes (sizes are still checked).
    await expect(loadIndex(dir, { verify: false })).resolves.toBeDefined();
  });

  it("a corrupted records.jsonl is caught too", async () => {
    const path = join(dir, "records.jsonl");
    const text = await readFile(path, "utf8");
    await writeFile(path, text.replace("r0001", "r0009"));
    expect((await loadError()).message).toMatch(/records\.jsonl is corrupt/);
  });

  it("a truncated file is a size error naming the file", async () => {
    await truncate(join(dir, "vectors.f32"), 20);
    const err = await loadError({ verify: false });
    expect(err.message).toContain(join(dir, "vectors.f32"));
    expect(err.message).toMatch(/20 bytes but the manifest says 192/);
  });

  it("a missing data file is named", async () => {
    await rm(join(dir, "postings.json"));
    expect((await loadError()).message).toMatch(/postings\.json is missing/);
  });

  it("a future format version asks to upgrade", async () => {
    const path = join(dir, "manifest.json");
    const manifest = JSON.parse(await readFile(path, "utf8"));
    await writeFile(path, JSON.stringify({ ...manifest, version: 3, somethingNew: true }));
    const err = await loadError();
    expect(err.message).toMatch(/index format v3 is newer than this mosaic supports; upgrade/);
  });

  it("a version-2 manifest without its transform is refused as invalid", async () => {
    const path = join(dir, "manifest.json");
    const manifest = JSON.parse(await readFile(path, "utf8"));
    await writeFile(path, JSON.stringify({ ...manifest, version: 2 }));
    expect((await loadError()).message).toMatch(/version 2 needs a transform/);
  });

  it("an unparseable or foreign manifest is explained", async () => {
    const path = join(dir, "manifest.json");
    await writeFile(path, "{ nope");
    expect((await loadError()).message).toMatch(/manifest\.json is not valid JSON/);
    await writeFile(path, JSON.stringify({ format: "faiss" }));
    expect((await loadError()).message).toMatch(/not a mosaic index manifest/);
    await writeFile(path, JSON.stringify({ format: "mosaic-index", version: 1, dim: "x" }));
    expect((await loadError()).message).toMatch(/manifest\.json is invalid: .*dim/);
  });

  it("a model mismatch names both models and how to fix it", async () => {
    const err = await loadError({ expectModelId: "clip-vit-b32" });
    expect(err.message).toMatch(/built with model resnet50, but model clip-vit-b32 was requested/);
    expect(err.hint).toMatch(/--model resnet50/);
    expect(err.hint).toMatch(/re-featurize/);
    await expect(loadIndex(dir, { expectModelId: "resnet50" })).resolves.toBeDefined();
  });
});
