import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { appendToIndex } from "../../src/vector-index/append-to-index.js";
import { loadIndex } from "../../src/vector-index/load-index.js";
import { searchExact } from "../../src/search/search-exact.js";
import { writeIndex } from "../../src/vector-index/write-index.js";
import { buildGraph } from "../../src/search/build-graph.js";
import { createSearchEngine } from "../../src/search/create-search-engine.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { model, randomData } from "../vector-index/helpers.js";

describe("appending to an index with a search graph", () => {
  const tmp = makeTempDir("mosaic-append-graph-");
  afterAll(async () => (await tmp).cleanup());

  it("carries the graph into the new version and inserts only the new rows", async () => {
    const dir = path.join((await tmp).dir, "index");
    const dim = 16;
    const first = randomData(400, dim, 1);
    await writeIndex(dir, { model: model(dim), facets: ["culture", "kind"], ...first });
    expect((await buildGraph(dir)).how).toBe("built");

    const more = randomData(60, dim, 2, "new");
    await appendToIndex(dir, more.records, more.vectors);
    expect(existsSync(path.join(dir, "hnsw.usearch"))).toBe(true);
    expect((await buildGraph(dir)).how).toBe("extended +60");

    // The extended graph answers for old and new rows alike, exactly as the scan does here.
    const index = await loadIndex(dir);
    const engine = createSearchEngine(index, { engine: "hnsw", indexDir: dir });
    const query = more.vectors[7] as Float32Array;
    const fromGraph = engine.search(query, { n: 5 }).hits.map((h) => h.id);
    expect(fromGraph[0]).toBe("new0007");
    expect(fromGraph).toEqual(searchExact(index, query, { n: 5 }).map((h) => h.id));
  });
});
