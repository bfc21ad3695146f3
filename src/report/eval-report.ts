import { html, type SafeHtml } from "./html.js";
import { page, score, thumb, titleOf } from "./page.js";
import type { EvalExample, EvalLabelRow, EvalReport } from "./report-model.js";

const pct = (x: number): string => `${(Math.min(1, Math.max(0, x)) * 100).toFixed(1)}%`;

/** Best label first; ties by size (bigger first), then name, so the chart is stable. */
function sorted(rows: readonly EvalLabelRow[]): EvalLabelRow[] {
  return [...rows].sort(
    (a, b) =>
      b.precision - a.precision || b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
  );
}

function barRow(row: EvalLabelRow): SafeHtml {
  return html`<tr>
<th scope="row" class="label" title="${row.value}">${row.value}</th>
<td class="n">${row.count}</td>
<td class="bar"><div class="track" role="img" aria-label="${`precision ${score(row.precision)}, random ${score(row.baseline)}`}"><div class="fill" style="width:${pct(row.precision)}"></div><div class="base" style="left:${pct(row.baseline)}"></div></div></td>
<td class="p">${score(row.precision)}</td>
<td class="p muted">${score(row.baseline)}</td>
</tr>
`;
}

function exampleRow(example: EvalExample, k: number): SafeHtml {
  const { query, neighbours } = example;
  const right = neighbours.filter((n) => n.correct).length;
  return html`<section class="example" data-id="${query.id}">
<div class="qcard">${thumb(query.image, titleOf(query), query.imageNote)}
<p class="title">${titleOf(query)}</p><p>${query.label}</p><p class="muted">${right} of ${neighbours.length} right (k=${k})</p></div>
<ol class="neighbours">
${neighbours.map(
  (n, i) => html`<li class="nb ${n.correct ? "right" : "wrong"}" data-id="${n.id}">
${thumb(n.image, titleOf(n), n.imageNote, `#${i + 1}`)}
<p class="lbl"><span class="mark" aria-label="${n.correct ? "same label" : "different label"}">${n.correct ? "✓" : "✗"}</span> ${n.label || "(no label)"}</p>
<p class="muted" title="${titleOf(n)}">${score(n.score)} · ${titleOf(n)}</p>
</li>
`,
)}</ol>
</section>
`;
}

/**
 * `mosaic eval --html`: per-label precision@k as a sorted bar chart (CSS only, with each label's
 * random-ranking baseline as a tick) and a few example rows of query + top-k, wrong neighbours marked.
 */
export function renderEvalReport(report: EvalReport): string {
  const lift = report.precision / Math.max(report.randomBaseline, 1e-9);
  const rows = sorted(report.perLabel);
  const body = html`<section aria-labelledby="summary">
<h2 id="summary">precision@${report.k} for “${report.label}”: ${score(report.precision)} (random ranking ${score(report.randomBaseline)}, lift ${lift.toFixed(2)}×)</h2>
<p class="muted">Leave-one-out over ${report.evaluated} artworks${report.skipped > 0 ? `; ${report.skipped} without a label skipped` : ""}. A neighbour is right when it has the same ${report.label}.</p>
</section>
<section aria-labelledby="per-label">
<h2 id="per-label">Per ${report.label}, best first</h2>
<div class="legend"><span><span class="swatch"></span>precision@${report.k}</span><span><span class="swatch base-key"></span>random ranking</span></div>
<table class="bars">
<thead><tr><th scope="col">${report.label}</th><th scope="col" class="n">artworks</th><th scope="col">precision@${report.k}</th><th scope="col" class="p">p@${report.k}</th><th scope="col" class="p">random</th></tr></thead>
<tbody>
${rows.map(barRow)}</tbody>
</table>
</section>
${
  report.examples.length > 0
    ? html`<section aria-labelledby="examples">
<h2 id="examples">Examples: each query and its ${report.k} nearest neighbours (✗ = a different ${report.label})</h2>
${report.examples.map((e) => exampleRow(e, report.k))}</section>`
    : ""
}`;
  return page(
    `mosaic eval: ${report.label}`,
    html`<h1>mosaic eval</h1><p>precision@${report.k} of “same ${report.label}” among nearest neighbours</p>`,
    body,
    report.footer,
  );
}
