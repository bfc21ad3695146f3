import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MosaicError } from "../../src/errors.js";
import { createIndexWriter, openIndexWriter } from "../../src/vector-index/index-writer.js";
import { loadIndex } from "../../src/vector-index/load-index.js";
import { readManifest } from "../../src/vector-index/read-manifest.js";
import { writeIndex } from "../../src/vector-index/write-index.js";
import { model, prng, randomData, tempDir } from "./helpers.js";

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ root, cleanup } = await tempDir()));
afterEach(() => cleanup());

const now = () => new Date("2024-05-06T00:00:00.000Z");
const facets = ["culture", "kind"];

function shuffled<T>(items: T[], seed: number): T[] {
  const rand = prng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("IndexWriter orderById", () => {
  it("writes the same bytes whatever order records arrive in, and leaves no staging files", async () => {
    const { records, vectors } = randomData(300, 16, 41);
    await writeIndex(join(root, "sorted"), { model: model(16), facets, records, vectors, now });
    for (const seed of [1, 2]) {
      const order = shuffled(
        records.map((_, i) => i),
        seed,
      );
      const writer = await createIndexWriter(join(root, `run-${seed}`), {
        model: model(16),
        facets,
        now,
        orderById: true,
      });
      // Several adds in flight at once, as featurize does.
      await Promise.all(order.map((i) => writer.add(records[i]!, vectors[i]!)));
      await writer.commit();
      for (const f of ["vectors.f32", "records.jsonl", "postings.json", "manifest.json"]) {
        expect(await readFile(join(root, `run-${seed}`, f)), f).toEqual(
          await readFile(join(root, "sorted", f)),
        );
      }
      expect((await readdir(join(root, `run-${seed}`))).sort()).toEqual([
        "manifest.json",
        "postings.json",
        "records.jsonl",
        "vectors.f32",
      ]);
    }
    const index = await loadIndex(join(root, "run-1"), { verify: true });
    expect(index.records.map((r) => r.id)).toEqual(records.map((r) => r.id));
  });

  it("sorts by code unit, not locale", async () => {
    const ids = ["b", "B", "a", "é", "Z", "aa", "10", "9"];
    const writer = await createIndexWriter(join(root, "ids"), {
      model: model(2),
      facets: [],
      orderById: true,
    });
    for (const id of ids) await writer.add({ id, image: "x.jpg", facets: {}, meta: {} }, [1, 0]);
    await writer.commit();
    const index = await loadIndex(join(root, "ids"));
    expect(index.records.map((r) => r.id)).toEqual(["10", "9", "B", "Z", "a", "aa", "b", "é"]);
  });

  it("still rejects duplicates at add time, and abort leaves nothing", async () => {
    const writer = await createIndexWriter(join(root, "dup"), {
      model: model(2),
      facets: [],
      orderById: true,
    });
    await writer.add({ id: "a", image: "x", facets: {}, meta: {} }, [1, 0]);
    await expect(writer.add({ id: "a", image: "y", facets: {}, meta: {} }, [0, 1])).rejects.toThrow(
      /Duplicate/,
    );
    await writer.abort();
    expect(await readdir(root)).toEqual([]);
  });

  it("cannot be combined with appending", async () => {
    await writeIndex(join(root, "base"), { model: model(2), facets: [], ...randomData(2, 2, 42) });
    const manifest = await readManifest(join(root, "base"));
    await expect(
      openIndexWriter(
        join(root, "base"),
        { model: model(2), facets: [], orderById: true },
        { dir: join(root, "base"), manifest, ids: [], postings: new Map() },
      ),
    ).rejects.toBeInstanceOf(MosaicError);
  });
});
