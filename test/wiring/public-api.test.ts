import { readFile } from "node:fs/promises";
import path from "node:path";
// The package name, as a user's code imports it (package.json#exports → dist/src/index.js).
import { featurizeCatalog, openIndex } from "mosaic";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureSampleCollection } from "../../src/sample/sample-collection.js";
import { SHARED_CACHE_DIR } from "../helpers/shared-cache.js";
import { makeTempDir } from "../helpers/temp-dir.js";

let tmp: { dir: string; cleanup: () => Promise<void> };
let out: string;
beforeAll(async () => {
  tmp = await makeTempDir("mosaic-public-api-");
  out = path.join(tmp.dir, "index");
}, 60_000);
afterAll(() => tmp.cleanup());

describe('the library API of "mosaic"', () => {
  it("featurizeCatalog({ catalog, out }) then openIndex(dir).search(...) with a facet filter", async () => {
    const { catalog } = await ensureSampleCollection(path.join(SHARED_CACHE_DIR, "sample"));
    const events: string[] = [];
    const summary = await featurizeCatalog({
      catalog,
      out,
      limit: 12,
      cacheDir: SHARED_CACHE_DIR,
      cwd: tmp.dir,
      env: {},
      onEvent: (event) => events.push(event.type),
    });
    expect(summary.indexed).toBe(12);
    expect(summary.failed).toBe(0);
    expect(events).toContain("done");

    const records = (await readFile(path.join(out, "records.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; facets: Record<string, string> });
    const first = records[0]!;
    const culture = first.facets.culture!;
    const sameCulture = records.filter((r) => r.facets.culture === culture && r.id !== first.id);

    const index = await openIndex(out, { cwd: tmp.dir, env: {} });
    const result = await index.search({ id: first.id }, { n: 5, filter: { culture: [culture] } });
    expect(result.hits.length).toBe(Math.min(5, sameCulture.length));
    for (const hit of result.hits) expect(hit.record.facets.culture).toBe(culture);
    expect(result.hits.map((h) => h.id)).not.toContain(first.id);
  }, 300_000);
});
