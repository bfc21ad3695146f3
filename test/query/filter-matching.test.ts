import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadIndex } from "../../src/vector-index/load-index.js";
import { foldFacetValue, resolveFilter } from "../../src/vector-index/resolve-filter.js";
import type { IndexRecord, VectorIndex } from "../../src/vector-index/types.js";
import { writeIndex } from "../../src/vector-index/write-index.js";
import type { ResultsJson } from "../../src/query/format-results.js";
import { createLabelResolver } from "../../src/server/legacy-label.js";
import { runCliInProcess } from "../helpers/run-cli-in-process.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { makeApp } from "../server/app-harness.js";
import { DIM, SPEC } from "../server/fixtures.js";

const rows: [string, string, string][] = [
  ["w1", "Japanese", "Woodblock Print"],
  ["w2", "Japanese", "Woodblock Print"],
  ["w3", "Côte d'Ivoire", "Mask"],
  ["w4", "Dutch", "Painting"],
  ["w5", "Javanese", "Textile"],
];
const records: IndexRecord[] = rows.map(([id, culture, classification]) => ({
  id,
  image: `https://img.example.org/${id}.jpg`,
  facets: { culture, classification },
  meta: { Title: `Title ${id}` },
}));
const vectors = rows.map((_, i) => Float32Array.from({ length: DIM }, (_, k) => (k === i ? 1 : 0.1)));

describe("facet filters ignore case and accents, and say what is near when nothing matches", () => {
  let dir: string;
  let indexDir: string;
  let index: VectorIndex;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir("mosaic-filter-"));
    indexDir = path.join(dir, "index");
    await writeIndex(indexDir, {
      model: { id: "fake-model", dim: DIM, preprocess: SPEC },
      facets: ["culture", "classification"],
      records,
      vectors,
    });
    index = await loadIndex(indexDir);
  });
  afterAll(() => cleanup());

  it("folds case, accents and runs of spaces", () => {
    expect(foldFacetValue("  Côte  d'IVOIRE ")).toBe("cote d'ivoire");
    expect(foldFacetValue("Woodblock Print")).toBe(foldFacetValue("woodblock print"));
    expect(foldFacetValue("Édo")).toBe("edo");
  });

  it("resolves values and field names to the index's own spelling", () => {
    const { filter, unmatched } = resolveFilter(index, {
      Culture: ["cote d'ivoire", "JAPANESE"],
      classification: ["woodblock  print", "mask"],
    });
    expect(unmatched).toEqual([]);
    expect({ ...filter }).toEqual({
      culture: ["Côte d'Ivoire", "Japanese"],
      classification: ["Woodblock Print", "Mask"],
    });
  });

  it("lists the nearest existing values for a value that matches nothing", () => {
    const { filter, unmatched } = resolveFilter(index, { culture: ["Japanes", "Dutch"] });
    expect(filter?.culture).toEqual(["Dutch"]);
    expect(unmatched).toHaveLength(1);
    expect(unmatched[0]).toMatchObject({ field: "culture", value: "Japanes" });
    // Containment first ("Japanese"), then by edit distance ("Javanese" is 2 edits away).
    expect(unmatched[0]?.nearest.slice(0, 2)).toEqual(["Japanese", "Javanese"]);
  });

  it("an unknown field is a usage error suggesting the closest facet", () => {
    expect(() => resolveFilter(index, { clasification: ["Mask"] })).toThrow(
      /Unknown filter field "clasification"; this index has facets: culture, classification/,
    );
    try {
      resolveFilter(index, { clasification: ["Mask"] });
    } catch (error) {
      expect((error as { hint?: string }).hint).toMatch(/Did you mean classification\?/);
    }
  });

  it("CLI: --classification 'woodblock print' finds the Woodblock Prints; a miss says what is near", async () => {
    const run = await runCliInProcess(
      ["query", "--id", "w4", "--index", indexDir, "--classification", "woodblock print", "--json"],
      { cwd: dir },
    );
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout) as ResultsJson;
    expect(body.matches).toBe(2);
    expect(body.results.map((r) => r.id).sort()).toEqual(["w1", "w2"]);
    expect(body.unmatched).toBeUndefined();

    const miss = await runCliInProcess(
      ["query", "--id", "w4", "--index", indexDir, "--filter", "culture=Japanse", "--json"],
      { cwd: dir },
    );
    expect(miss.code).toBe(0);
    const missed = JSON.parse(miss.stdout) as ResultsJson;
    expect(missed.matches).toBe(0);
    expect(missed.unmatched?.[0]).toMatchObject({ field: "culture", value: "Japanse" });
    expect(missed.unmatched?.[0]?.nearest[0]).toBe("Japanese");

    const people = await runCliInProcess(
      ["query", "--id", "w4", "--index", indexDir, "--culture", "cote divoire"],
      { cwd: dir },
    );
    expect(people.code).toBe(0);
    expect(people.stdout).toContain("No matching artworks.");
    expect(people.stderr).toContain('No culture matches "cote divoire"; nearest: "Côte d\'Ivoire"');
  });

  it("the legacy label resolver folds accents as well as case", () => {
    const resolve = createLabelResolver(index);
    expect(resolve("cote d'ivoire")).toEqual({ culture: ["Côte d'Ivoire"] });
    expect(resolve("WOODBLOCK PRINT")).toEqual({ classification: ["Woodblock Print"] });
    expect(resolve("nowhere")).toBeUndefined();
  });

  it("/v1/search matches ignoring case and accents", async () => {
    const h = await makeApp(index, {});
    try {
      const v1 = await h.app.inject({
        method: "POST",
        url: "/v1/search",
        payload: { id: "w4", filter: { culture: "CÔTE D'IVOIRE" } },
      });
      expect(v1.statusCode).toBe(200);
      expect((v1.json() as ResultsJson).results.map((r) => r.id)).toEqual(["w3"]);

      const none = await h.app.inject({
        method: "POST",
        url: "/v1/search",
        payload: { id: "w4", filter: { classification: "wood print" } },
      });
      const body = none.json() as ResultsJson;
      expect(body.matches).toBe(0);
      expect(body.unmatched?.[0]?.nearest[0]).toBe("Woodblock Print");
    } finally {
      await h.app.close();
    }
  });
});
