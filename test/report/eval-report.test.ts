import { describe, expect, it } from "vitest";
import { buildEvalReport, imageKey } from "../../src/report/build-reports.js";
import { renderEvalReport } from "../../src/report/eval-report.js";
import { expectNoInjectedMarkup, HOSTILE, record } from "./fixtures.js";

const records = [
  record("p1", "Print one", { culture: "Japanese" }),
  record("p2", "Print two", { culture: "Japanese" }),
  record("v1", "Vase", { culture: "Greek" }),
  record("x1", HOSTILE.title, { culture: HOSTILE.culture }, HOSTILE.artist),
];
const result = {
  label: "culture",
  k: 2,
  precision: 0.5,
  randomBaseline: 0.2,
  evaluated: 4,
  skipped: 1,
  perLabel: [
    { value: "Greek", count: 1, precision: 0.25, randomBaseline: 0 },
    { value: "Japanese", count: 2, precision: 0.75, randomBaseline: 1 / 3 },
    { value: HOSTILE.culture, count: 1, precision: 0, randomBaseline: 0 },
  ],
};
const examples = [
  {
    ordinal: 0,
    label: "Japanese",
    neighbours: [
      { ordinal: 1, score: 0.95, label: "Japanese", correct: true },
      { ordinal: 3, score: 0.9, label: HOSTILE.culture, correct: false },
    ],
  },
];

describe("renderEvalReport", () => {
  const page = renderEvalReport(
    buildEvalReport({
      result,
      examples,
      records,
      facets: ["culture"],
      images: new Map([[imageKey.artwork("p1"), { image: { src: "data:image/jpeg;base64,AAAA" } }]]),
    }),
  );

  it("charts per-label precision best first, each bar as wide as its precision, with the random tick", () => {
    expect(page).toContain("precision@2 for “culture”: 0.500 (random ranking 0.200, lift 2.50×)");
    expect(page).toContain("1 without a label skipped");
    const rows = [...page.matchAll(/<th scope="row" class="label" title="([^"]*)">/g)].map((m) => m[1]);
    expect(rows).toEqual([
      "Japanese",
      "Greek",
      "&lt;b onmouseover=&quot;window.__pwned = 3&quot;&gt;bold&lt;/b&gt;",
    ]);
    const fills = [...page.matchAll(/class="fill" style="width:([\d.]+%)"/g)].map((m) => m[1]);
    expect(fills).toEqual(["75.0%", "25.0%", "0.0%"]);
    expect(page).toContain('class="base" style="left:33.3%"');
    expect(page).not.toMatch(/<script|https?:\/\//);
  });

  it("shows example rows with the query and its neighbours, wrong ones marked", () => {
    expect(page).toContain('<section class="example" data-id="p1">');
    expect(page).toContain('<img src="data:image/jpeg;base64,AAAA" alt="Print one">');
    expect(page).toContain("1 of 2 right (k=2)");
    expect(page).toMatch(/<li class="nb right" data-id="p2">[\s\S]*?✓<\/span> Japanese/);
    expect(page).toMatch(/<li class="nb wrong" data-id="x1">[\s\S]*?✗<\/span> &lt;b onmouseover/);
  });

  it("escapes hostile labels and titles", () => {
    expectNoInjectedMarkup(page);
    expect(page).toContain("&lt;script&gt;window.__pwned = 1&lt;/script&gt;");
  });
});
