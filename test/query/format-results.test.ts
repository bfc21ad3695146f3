import { describe, expect, it } from "vitest";
import { formatResultsTable } from "../../src/query/format-results.js";

describe("query table", () => {
  it("prints scores with three decimals, not float noise", () => {
    const table = formatResultsTable(
      {
        matches: 1,
        unmatched: [],
        hits: [
          {
            rank: 1,
            score: 0.912345678901,
            id: "a1",
            record: {
              id: "a1",
              image: "a1.jpg",
              facets: { culture: "Dutch" },
              meta: { Title: "Still Life" },
            },
          },
        ],
      },
      ["culture"],
    );
    const row = table.trim().split("\n")[1] ?? "";
    expect(row).toMatch(/^1\s+0\.912\s+a1\s+Still Life\s+Dutch\s+a1\.jpg$/);
    expect(table).not.toContain("0.9123");
  });

  it("has an image column with the catalog's own reference, long ones keeping their file name", () => {
    const url = `https://images.example.org/${"deep/".repeat(12)}436535.jpg`;
    const table = formatResultsTable(
      {
        matches: 1,
        unmatched: [],
        hits: [{ rank: 1, score: 0.5, id: "a1", record: { id: "a1", image: url, facets: {}, meta: {} } }],
      },
      [],
    );
    const [header, row] = table.trim().split("\n");
    expect(header).toMatch(/\bimage$/);
    expect(row).toMatch(/…[a-z/]*436535\.jpg$/);
    expect(row!.length).toBeLessThan(url.length + 20);
  });

  it("leaves out title and artist when no hit has them, and keeps a column one hit fills", () => {
    const hit = (id: string, meta: Record<string, string>) => ({
      rank: 1,
      score: 0.5,
      id,
      record: { id, image: `${id}.jpg`, facets: { culture: "" }, meta },
    });
    const bare = formatResultsTable({ matches: 2, unmatched: [], hits: [hit("a1", {}), hit("a2", {})] }, [
      "culture",
    ]);
    expect(bare.split("\n")[0]).toMatch(/^#\s+score\s+id\s+image$/);
    const one = formatResultsTable(
      { matches: 2, unmatched: [], hits: [hit("a1", {}), hit("a2", { Artist: "Hokusai" })] },
      ["culture"],
    );
    expect(one.split("\n")[0]).toMatch(/^#\s+score\s+id\s+artist\s+image$/);
    expect(one).toContain("Hokusai");
  });
});
