import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IndexRecord } from "../../src/vector-index/types.js";
import { writeIndex } from "../../src/vector-index/write-index.js";
import { openFileIndex } from "../../src/wiring/open-index.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { DIM, SPEC } from "../server/fixtures.js";

const records: IndexRecord[] = ["a", "b", "c"].map((id) => ({
  id,
  image: `images/${id}.jpg`,
  facets: { culture: id === "c" ? "Dutch" : "Japanese" },
  meta: {},
}));
const vectors = records.map((_, i) => Float32Array.from({ length: DIM }, (_, k) => (k === i ? 1 : 0.1)));

describe("openFileIndex (the one open-index query, serve and the library API share)", () => {
  let dir: string;
  let indexDir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir("mosaic-open-index-"));
    indexDir = path.join(dir, "index");
    await writeIndex(indexDir, {
      model: { id: "fake-model", dim: DIM, preprocess: SPEC },
      facets: ["culture"],
      records,
      vectors,
    });
  });
  afterAll(() => cleanup());

  it("loads the index, opens its engine once and searches it", async () => {
    const opened = await openFileIndex(indexDir, "exact");
    expect(opened.kind).toBe("file");
    expect(opened.indexDir).toBe(indexDir);
    expect(opened.index.count).toBe(3);
    expect(opened.engine()).toBe(opened.engine());
    const result = opened.engine().search(vectors[2] as Float32Array, { n: 1 });
    expect(result.hits[0]?.ordinal).toBe(2);
    await opened.close();
  });

  it("closes cleanly when no search ran (the engine is opened on first use)", async () => {
    const opened = await openFileIndex(indexDir, "auto");
    await expect(opened.close()).resolves.toBeUndefined();
  });
});
