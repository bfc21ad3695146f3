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
    expect(row).toMatch(/^1\s+0\.912\s+a1\s+Still Life\s+Dutch$/);
    expect(table).not.toContain("0.9123");
  });
});
