import { html, type SafeHtml } from "./html.js";
import { page, score, tags, thumb, titleOf } from "./page.js";
import type { QueryReport, ReportHit } from "./report-model.js";

function card(hit: ReportHit): SafeHtml {
  const title = titleOf(hit);
  return html`<li class="card" data-id="${hit.id}">
${thumb(hit.image, title, hit.imageNote, `#${hit.rank}`)}
<div class="title">${title}</div>
${hit.artist ? html`<div class="artist">${hit.artist}</div>` : ""}
<div class="foot">${tags(hit.facets)}<span class="score" title="cosine similarity to the query">${score(hit.score)}</span><span class="id" title="${hit.id}">${hit.id}</span></div>
</li>
`;
}

/** The last segment of a path or URL: what a person calls the picture. */
function baseName(name: string): string {
  const tail = name
    .replace(/[?#].*$/, "")
    .split(/[\\/]/)
    .filter(Boolean)
    .pop();
  return tail ?? name;
}

function filterText(filter: Record<string, string[]>): string {
  const parts = Object.entries(filter)
    .filter(([, values]) => values.length > 0)
    .map(([field, values]) => `${field} = ${values.join(" or ")}`);
  return parts.join(" and ");
}

/**
 * `mosaic query --html`: the query picture and the ranked results as a grid of cards (picture, title,
 * artist, facets, score). Pure: every picture is already a data: URI or a relative path in `report`.
 */
export function renderQueryReport(report: QueryReport): string {
  const { query, hits } = report;
  const queryTitle = query.kind === "artwork" ? titleOf(query.artwork) : baseName(query.name);
  const filter = filterText(report.filter);
  const queryPanel =
    query.kind === "artwork"
      ? html`<section class="query" aria-label="Query">
${thumb(query.artwork.image, queryTitle, query.artwork.imageNote)}
<div><p class="muted">More like</p><p class="title">${queryTitle}</p>
${query.artwork.artist ? html`<p>${query.artwork.artist}</p>` : ""}
${tags(query.artwork.facets)}<p class="muted">${query.artwork.id}</p></div>
</section>`
      : html`<section class="query" aria-label="Query">
${thumb(query.image, queryTitle, query.imageNote)}
<div><p class="muted">Similar to the image</p><p class="title">${baseName(query.name)}</p>
${baseName(query.name) !== query.name ? html`<p class="muted">${query.name}</p>` : ""}</div>
</section>`;
  const summary =
    hits.length === 0
      ? "No matching artworks."
      : `The ${hits.length} most similar of ${report.matches} ${filter ? "matching " : ""}artworks${filter ? ` (${filter})` : ""}.`;
  const body = html`${queryPanel}
<h2 id="results">${summary}</h2>
<ol class="grid" aria-labelledby="results">
${hits.map(card)}</ol>`;
  return page(
    `mosaic: more like ${queryTitle}`,
    html`<h1>mosaic</h1><p>Artworks most similar to ${queryTitle}${filter ? ` · ${filter}` : ""}</p>`,
    body,
    report.footer,
  );
}
