import { open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MosaicError, UsageError } from "../../src/errors.js";
import { appendToIndex } from "../../src/vector-index/append-to-index.js";
import { loadIndex } from "../../src/vector-index/load-index.js";
import { mergeIndexes } from "../../src/vector-index/merge-indexes.js";
import type { VectorIndex } from "../../src/vector-index/types.js";
import { writeIndex } from "../../src/vector-index/write-index.js";
import { model, randomData, strayEntries, tempDir } from "./helpers.js";

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ root, cleanup } = await tempDir()));
afterEach(() => cleanup());

const now = () => new Date("2024-05-06T00:00:00.000Z");
const facets = ["culture", "kind"];

/** Everything but createdAt must be identical, byte for byte. */
async function expectSameIndex(a: string, b: string): Promise<void> {
  for (const f of ["vectors.f32", "records.jsonl", "postings.json", "manifest.json"]) {
    expect(await readFile(join(a, f)), f).toEqual(await readFile(join(b, f)));
  }
}

function summary(index: VectorIndex) {
  return {
    ids: index.records.map((r) => r.id),
    vectors: Array.from(index.vectors),
    postings: index.postings,
  };
}

describe("appendToIndex", () => {
  it("equals writing everything at once, and keeps existing ordinals", async () => {
    const { records, vectors } = randomData(30, 5, 21);
    const whole = join(root, "whole");
    const inc = join(root, "inc");
    await writeIndex(whole, { model: model(5), facets, records, vectors, now });
    await writeIndex(inc, {
      model: model(5),
      facets,
      records: records.slice(0, 10),
      vectors: vectors.slice(0, 10),
      now,
    });
    await appendToIndex(inc, records.slice(10, 25), vectors.slice(10, 25), { now });
    const flat = new Float32Array(vectors.slice(25).flatMap((v) => Array.from(v)));
    const manifest = await appendToIndex(inc, records.slice(25), flat, { now });
    expect(manifest.count).toBe(30);
    await expectSameIndex(whole, inc);
    expect(await strayEntries(root, ["whole", "inc"])).toEqual([]);
  });

  it("rejects duplicate ids and dim mismatches and leaves the index unchanged", async () => {
    const dir = join(root, "idx");
    const { records, vectors } = randomData(6, 3, 22);
    await writeIndex(dir, { model: model(3), facets, records, vectors });
    const before = summary(await loadIndex(dir));
    const dup = { ...records[2]!, image: "other.jpg" };
    await expect(appendToIndex(dir, [dup], [[1, 2, 3]])).rejects.toThrow(/Duplicate record id "r0002"/);
    const fresh = randomData(1, 3, 23, "new");
    await expect(appendToIndex(dir, fresh.records, [[1, 2]])).rejects.toThrow(
      /2 dimensions; the index has 3/,
    );
    await expect(appendToIndex(dir, fresh.records, [])).rejects.toBeInstanceOf(UsageError);
    expect(summary(await loadIndex(dir))).toEqual(before);
    expect(await strayEntries(root, ["idx"])).toEqual([]);
  });

  it("refuses to append to a corrupted index", async () => {
    const dir = join(root, "idx");
    await writeIndex(dir, { model: model(3), facets, ...randomData(4, 3, 24) });
    const fh = await open(join(dir, "vectors.f32"), "r+");
    await fh.write(Buffer.from([1, 2, 3, 4]), 0, 4, 0);
    await fh.close();
    const more = randomData(1, 3, 25, "z");
    await expect(appendToIndex(dir, more.records, more.vectors)).rejects.toThrow(
      /vectors\.f32 does not match its manifest/,
    );
    expect(await strayEntries(root, ["idx"])).toEqual([]);
  });
});

describe("mergeIndexes", () => {
  it("merging shards equals one write in id order; the earliest input wins a duplicated id", async () => {
    const { records, vectors } = randomData(40, 6, 31);
    const shard = async (name: string, from: number, to: number, fs: string[]) => {
      const dir = join(root, name);
      await writeIndex(dir, {
        model: model(6),
        facets: fs,
        records: records.slice(from, to),
        vectors: vectors.slice(from, to),
      });
      return dir;
    };
    // Shard c overlaps b (ids 20..24): the copies from b come first and win.
    const a = await shard("a", 0, 15, ["culture"]);
    const b = await shard("b", 15, 25, ["culture", "kind"]);
    const c = await shard("c", 20, 40, ["kind"]);
    const merged = join(root, "merged");
    const manifest = await mergeIndexes([a, b, c], merged, { now });
    expect(manifest.facets).toEqual(["culture", "kind"]);
    expect(manifest.count).toBe(40);

    const single = join(root, "single");
    await writeIndex(single, { model: model(6), facets: ["culture", "kind"], records, vectors, now });
    await expectSameIndex(single, merged);
  });

  it("keeps the first copy of a duplicated id", async () => {
    const one = randomData(3, 2, 32);
    const two = randomData(3, 2, 33);
    two.records[1] = { ...two.records[1]!, image: "second.jpg" };
    await writeIndex(join(root, "one"), { model: model(2), facets: [], ...one });
    await writeIndex(join(root, "two"), { model: model(2), facets: [], ...two });
    await mergeIndexes([join(root, "two"), join(root, "one")], join(root, "out"));
    const out = await loadIndex(join(root, "out"));
    expect(out.records.map((r) => r.id)).toEqual(["r0000", "r0001", "r0002"]);
    expect(out.recordById("r0001")!.image).toBe("second.jpg");
  });

  it("refuses inputs from different models, or no inputs", async () => {
    await writeIndex(join(root, "a"), { model: model(4, "m1"), facets: [], ...randomData(2, 4, 34) });
    await writeIndex(join(root, "b"), { model: model(4, "m2"), facets: [], ...randomData(2, 4, 35) });
    const err = await mergeIndexes([join(root, "a"), join(root, "b")], join(root, "out")).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MosaicError);
    expect((err as Error).message).toMatch(/model m2.*model m1/);
    await expect(mergeIndexes([], join(root, "out"))).rejects.toBeInstanceOf(UsageError);
    expect(await strayEntries(root, ["a", "b"])).toEqual([]);
  });

  it("can write over one of its inputs", async () => {
    const a = randomData(3, 2, 36, "a");
    const b = randomData(2, 2, 37, "b");
    await writeIndex(join(root, "a"), { model: model(2), facets: [], ...a });
    await writeIndex(join(root, "b"), { model: model(2), facets: [], ...b });
    await mergeIndexes([join(root, "a"), join(root, "b")], join(root, "a"));
    expect((await loadIndex(join(root, "a"))).count).toBe(5);
    expect(await strayEntries(root, ["a", "b"])).toEqual([]);
  });
});
