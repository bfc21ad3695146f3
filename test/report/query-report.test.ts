import { describe, expect, it } from "vitest";
import type { QueryResult } from "../../src/query/query.js";
import { buildQueryReport, imageKey } from "../../src/report/build-reports.js";
import { renderQueryReport } from "../../src/report/query-report.js";
import type { PreparedImage } from "../../src/report/report-images.js";
import { expectNoInjectedMarkup, HOSTILE, record } from "./fixtures.js";

const FACETS = ["culture", "classification"];
const hits = [
  record("a1", "Wave", { culture: "Japanese", classification: "Print" }, "Hokusai"),
  record("a2", "", { culture: "Dutch", classification: "" }),
];
const result: QueryResult = {
  matches: 20,
  unmatched: [],
  hits: hits.map((r, i) => ({ rank: i + 1, score: 0.9 - i * 0.1234, id: r.id, record: r })),
};
const images = new Map<string, PreparedImage>([
  [imageKey.artwork("a1"), { image: { src: "data:image/jpeg;base64,AAAA" } }],
  [imageKey.artwork("a2"), { note: "image unavailable: http_404" }],
  [imageKey.query, { image: { src: "photos/my%20photo.jpg" } }],
]);

describe("renderQueryReport", () => {
  it("shows the query image and the ranked results with title, artist, facets and score", () => {
    const page = renderQueryReport(
      buildQueryReport({
        result,
        facets: FACETS,
        query: { imageName: "photos/my photo.jpg" },
        filter: { culture: ["Japanese", "Dutch"] },
        images,
        footer: "made by a test",
      }),
    );
    expect(page.startsWith("<!doctype html>")).toBe(true);
    expect(page).toContain('<img src="photos/my%20photo.jpg" alt="my photo.jpg">');
    expect(page).toContain("The 2 most similar of 20 matching artworks (culture = Japanese or Dutch).");
    const cards = [...page.matchAll(/<li class="card" data-id="([^"]+)">([\s\S]*?)<\/li>/g)];
    expect(cards.map((c) => c[1])).toEqual(["a1", "a2"]);
    const [first, second] = cards.map((c) => c[2]!);
    expect(first).toContain('<span class="rank">#1</span>');
    expect(first).toContain('<img src="data:image/jpeg;base64,AAAA" alt="Wave">');
    expect(first).toContain('<div class="artist">Hokusai</div>');
    expect(first).toContain('<span class="tag" title="culture">Japanese</span>');
    expect(first).toContain('<span class="tag" title="classification">Print</span>');
    expect(first).toContain(">0.900<");
    // No title: the id stands in; no picture: the reason does; an empty facet is left out.
    expect(second).toContain('<div class="title">a2</div>');
    expect(second).toContain("image unavailable: http_404");
    expect(second).not.toContain('title="classification"');
    expect(second).toContain(">0.777<");
    // Self-contained: no script, nothing fetched from elsewhere.
    expect(page).not.toMatch(/<script|<link|https?:\/\//);
    expect(page).toContain("default-src 'none'".replace(/'/g, "&#39;"));
    expect(page).toContain("<footer>made by a test</footer>");
  });

  it("shows the artwork searched for in a more-like-this query", () => {
    const query = record("q1", "Mount Fuji", { culture: "Japanese" }, "Hiroshige");
    const page = renderQueryReport(
      buildQueryReport({
        result: { ...result, query },
        facets: FACETS,
        query: { record: query },
        filter: {},
        images,
      }),
    );
    expect(page).toMatch(/More like<\/p><p class="title">Mount Fuji<\/p>\s*<p>Hiroshige<\/p>/);
    expect(page).toContain("The 2 most similar of 20 artworks.");
  });

  it("escapes hostile catalog text everywhere it appears, and drops unsafe image sources", () => {
    const evil = { ...record(HOSTILE.id, HOSTILE.title, { culture: HOSTILE.culture }, HOSTILE.artist) };
    const page = renderQueryReport(
      buildQueryReport({
        result: { matches: 1, unmatched: [], hits: [{ rank: 1, score: 1, id: evil.id, record: evil }] },
        facets: ["culture"],
        query: { imageName: `<script>alert(1)</script>.jpg` },
        filter: { culture: [HOSTILE.culture] },
        images: new Map([[imageKey.artwork(evil.id), { image: { src: "javascript:alert(1)" } }]]),
      }),
    );
    expectNoInjectedMarkup(page);
    expect(page).not.toContain("javascript:");
    expect(page).toContain("&lt;script&gt;window.__pwned = 1&lt;/script&gt;Evil &quot;title&quot;");
    expect(page).toContain(`data-id="x&quot; onclick=&quot;window.__pwned = 4"`);
  });
});
