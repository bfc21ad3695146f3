import type { IndexRecord } from "../../src/vector-index/types.js";

/** Catalog text a hostile or careless export could hold: markup, quotes, event handlers. */
export const HOSTILE = {
  title: `<script>window.__pwned = 1</script>Evil "title"`,
  artist: `"><img src=x onerror="window.__pwned = 2">`,
  culture: `<b onmouseover="window.__pwned = 3">bold</b>`,
  id: `x" onclick="window.__pwned = 4`,
};

export function record(id: string, title: string, facets: Record<string, string>, artist = ""): IndexRecord {
  return { id, image: `/collection/${id}.jpg`, facets, meta: { title, artist } };
}

/** No markup from the catalog survived as markup: no tag opened, no real (quoted) event handler. */
export function expectNoInjectedMarkup(page: string): void {
  for (const bad of ["<script", "<img src=x", "<b ", 'onerror="', 'onclick="', 'onmouseover="']) {
    if (page.includes(bad)) throw new Error(`injected markup ${JSON.stringify(bad)} in the page`);
  }
}
