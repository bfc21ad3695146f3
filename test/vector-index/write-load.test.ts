import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MosaicError, UsageError } from "../../src/errors.js";
import { createIndexWriter } from "../../src/vector-index/index-writer.js";
import { loadIndex } from "../../src/vector-index/load-index.js";
import { l2normalize } from "../../src/vector-index/normalize.js";
import { writeIndex } from "../../src/vector-index/write-index.js";
import { model, randomData, strayEntries, tempDir } from "./helpers.js";

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ root, cleanup } = await tempDir()));
afterEach(() => cleanup());

const fixedNow = () => new Date("2024-01-02T03:04:05.000Z");

describe("writeIndex / loadIndex", () => {
  it("round-trips records, normalized vectors, postings and the manifest", async () => {
    const { records, vectors } = randomData(25, 7, 1);
    const dir = join(root, "idx");
    const manifest = await writeIndex(dir, {
      model: model(7),
      facets: ["culture", "kind"],
      records,
      vectors,
      now: fixedNow,
    });
    expect(manifest).toMatchObject({
      format: "mosaic-index",
      version: 1,
      dim: 7,
      count: 25,
      normalized: true,
    });
    expect(manifest.createdAt).toBe("2024-01-02T03:04:05.000Z");
    expect(Object.keys(manifest.files).sort()).toEqual(["postings.json", "records.jsonl", "vectors.f32"]);

    const index = await loadIndex(dir);
    expect(index.manifest).toEqual(manifest);
    expect(index.records).toEqual(records);
    expect(index.vectors.length).toBe(25 * 7);
    for (let i = 0; i < 25; i++) {
      const row = index.vectors.subarray(i * 7, (i + 1) * 7);
      expect(Array.from(row)).toEqual(Array.from(l2normalize(vectors[i]!)));
      expect(Math.hypot(...row)).toBeCloseTo(1, 6);
    }
    for (const facet of ["culture", "kind"]) {
      for (const [value, ords] of index.postings.get(facet)!) {
        expect(value).not.toBe("");
        const want = records.flatMap((r, i) => (r.facets[facet] === value ? [i] : []));
        expect(Array.from(ords)).toEqual(want);
      }
    }
    expect(index.recordById("r0003")).toEqual(records[3]);
    expect(index.ordinalOf("r0003")).toBe(3);
    expect(index.recordById("nope")).toBeUndefined();
    expect(await strayEntries(root, ["idx"])).toEqual([]);
  });

  it("stores vectors as raw little-endian float32 at ordinal*dim*4", async () => {
    const dir = join(root, "idx");
    const records = [0, 1].map((i) => ({ id: `a${i}`, image: "", facets: {}, meta: {} }));
    await writeIndex(dir, {
      model: model(2),
      facets: [],
      records,
      vectors: [
        [3, 4],
        [0, -2],
      ],
    });
    const bytes = await readFile(join(dir, "vectors.f32"));
    expect(bytes.length).toBe(16);
    expect([0, 4, 8, 12].map((o) => bytes.readFloatLE(o))).toEqual([
      Math.fround(0.6),
      Math.fround(0.8),
      0,
      -1,
    ]);
    const lines = (await readFile(join(dir, "records.jsonl"), "utf8")).trimEnd().split("\n");
    expect(lines.map((l) => JSON.parse(l).id)).toEqual(["a0", "a1"]);
  });

  it("accepts a flat row-major Float32Array and keeps zero vectors at zero", async () => {
    const dir = join(root, "idx");
    const records = [0, 1].map((i) => ({ id: `a${i}`, image: "", facets: {}, meta: {} }));
    await writeIndex(dir, {
      model: model(3),
      facets: [],
      records,
      vectors: new Float32Array([0, 0, 0, 0, 0, 5]),
    });
    expect(Array.from((await loadIndex(dir)).vectors)).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it("writes an empty index that loads", async () => {
    const dir = join(root, "idx");
    await writeIndex(dir, { model: model(4), facets: ["culture"], records: [], vectors: [] });
    const index = await loadIndex(dir);
    expect(index.count).toBe(0);
    expect(index.postings.get("culture")!.size).toBe(0);
  });

  it("rejects duplicate ids, wrong dims, NaN and count mismatches without leaving anything behind", async () => {
    const dir = join(root, "idx");
    const rec = (id: string) => ({ id, image: "", facets: {}, meta: {} });
    const m = model(2);
    await expect(
      writeIndex(dir, {
        model: m,
        facets: [],
        records: [rec("a"), rec("a")],
        vectors: [
          [1, 0],
          [0, 1],
        ],
      }),
    ).rejects.toThrow(/Duplicate record id "a"/);
    await expect(
      writeIndex(dir, { model: m, facets: [], records: [rec("a")], vectors: [[1, 0, 0]] }),
    ).rejects.toThrow(/3 dimensions; the index has 2/);
    await expect(
      writeIndex(dir, { model: m, facets: [], records: [rec("a")], vectors: [[Number.NaN, 0]] }),
    ).rejects.toThrow(/non-finite/);
    await expect(
      writeIndex(dir, { model: m, facets: [], records: [rec("a")], vectors: [] }),
    ).rejects.toBeInstanceOf(UsageError);
    expect(await strayEntries(root, [])).toEqual([]);
  });

  it("streams through createIndexWriter and strips unknown record fields", async () => {
    const dir = join(root, "idx");
    const writer = await createIndexWriter(dir, { model: model(3), facets: ["culture"] });
    const { records, vectors } = randomData(10, 3, 2);
    // Unawaited adds must still land in order: the sink chains its writes.
    await Promise.all(records.map((r, i) => writer.add({ ...r, row: i } as typeof r, vectors[i]!)));
    expect(writer.count).toBe(10);
    await writer.commit();
    await expect(writer.add(records[0]!, vectors[0]!)).rejects.toBeInstanceOf(MosaicError);
    const index = await loadIndex(dir);
    expect(index.records).toEqual(records);
    expect(Array.from(index.vectors.subarray(9 * 3))).toEqual(Array.from(l2normalize(vectors[9]!)));
  });

  it("replaces an existing index atomically and leaves no temp or old dirs", async () => {
    const dir = join(root, "idx");
    const a = randomData(5, 3, 3);
    const b = randomData(8, 3, 4, "b");
    await writeIndex(dir, { model: model(3), facets: ["culture"], ...a });
    await writeIndex(dir, { model: model(3), facets: ["kind"], ...b });
    const index = await loadIndex(dir);
    expect(index.records.map((r) => r.id)).toEqual(b.records.map((r) => r.id));
    expect(index.manifest.facets).toEqual(["kind"]);
    expect(await strayEntries(root, ["idx"])).toEqual([]);
  });
});
