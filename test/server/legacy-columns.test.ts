import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Artwork } from "../../src/catalog/artwork.js";
import { ORIGINAL_COLUMNS } from "../../src/catalog/original-schema.js";
import { readCatalog } from "../../src/catalog/read-catalog.js";
import { configSchema } from "../../src/config/schema.js";
import { loadIndex } from "../../src/vector-index/load-index.js";
import type { VectorIndex } from "../../src/vector-index/types.js";
import { writeIndex } from "../../src/vector-index/write-index.js";
import { ensureSampleCollection } from "../../src/sample/sample-collection.js";
import { SHARED_CACHE_DIR } from "../helpers/shared-cache.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { type Harness, makeApp } from "./app-harness.js";
import { DIM, SPEC } from "./fixtures.js";

const JPEG_URL = "https://img.example.org/query.jpg";

describe("legacy API answers with the catalog's own column names (the seed schema)", () => {
  let header: string[];
  let index: VectorIndex;
  let h: Harness;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const sample = await ensureSampleCollection(SHARED_CACHE_DIR);
    header = (await readFile(sample.catalog, "utf8")).split("\n")[0]!.split("\t");
    const artworks: Artwork[] = [];
    for await (const entry of readCatalog(sample.catalog, { limit: 6 }))
      if (entry.kind === "artwork") artworks.push(entry.artwork);
    // The default config's column mapping, recorded in the manifest the way featurize records it.
    const { columns } = configSchema.parse({});
    const dir = await makeTempDir("mosaic-legacy-columns-");
    cleanup = dir.cleanup;
    const indexDir = path.join(dir.dir, "index");
    await writeIndex(indexDir, {
      model: { id: "fake-model", dim: DIM, preprocess: SPEC },
      facets: Object.keys(columns.facets),
      columns: { id: columns.id, facets: columns.facets },
      records: artworks.map((a) => ({ id: a.id, image: a.image, facets: a.facets, meta: a.meta })),
      vectors: artworks.map((_, i) => Float32Array.from({ length: DIM }, (_, k) => (k === i % DIM ? 1 : 0))),
    });
    index = await loadIndex(indexDir);
    const { jpeg } = await import("../helpers/http-server.js").then((m) => m.makeTestImages());
    h = await makeApp(index, { [JPEG_URL]: jpeg });
  }, 120_000);
  afterAll(async () => {
    await h?.app.close();
    await cleanup?.();
  });

  it("the seed catalog is the original MosAIc schema", () => {
    expect(header).toEqual([...ORIGINAL_COLUMNS]);
  });

  it("each artwork object has exactly the seed schema's keys: Culture and Classification, not lower-cased", async () => {
    const res = await h.app.inject({ method: "POST", url: "/", payload: { url: JPEG_URL, n: 3 } });
    expect(res.statusCode).toBe(200);
    const { results } = res.json() as { results: [Record<string, string>, number][] };
    expect(results).toHaveLength(3);
    for (const [artwork] of results) {
      expect(Object.keys(artwork).sort()).toEqual([...header].sort());
      expect(artwork.Culture).toBe(index.recordById(artwork.id!)?.facets.culture);
      expect(artwork.Classification).toBe(index.recordById(artwork.id!)?.facets.classification);
      expect(artwork.culture).toBeUndefined();
    }
  });

  it("a label still filters, and GET ?culture= answers in the same vocabulary", async () => {
    const culture = index.records[0]!.facets.culture!;
    const res = await h.app.inject({
      method: "GET",
      url: `/?url=${encodeURIComponent(JPEG_URL)}&n=10&culture=${encodeURIComponent(culture.toLowerCase())}`,
    });
    const { results } = res.json() as { results: [Record<string, string>, number][] };
    expect(results.length).toBeGreaterThan(0);
    for (const [artwork] of results) expect(artwork.Culture).toBe(culture);
  });
});
