import type { Artwork, FacetValue, Filter, Hit, SearchTarget } from "./api-client.js";
import { h, isWebLink, metaField } from "./dom.js";
import type { ThumbLoader } from "./thumb-loader.js";

/** Values shown per facet before "more"; the rest stay one keypress away. */
const SHOWN_VALUES = 8;

export interface CardActions {
  more(artwork: Artwork): void;
  details(artwork: Artwork, from: HTMLElement): void;
}

function thumb(loader: ThumbLoader, artwork: Artwork, size: number, alt: string): HTMLElement {
  const img = h("img", { alt, width: size, height: size, decoding: "async" });
  loader.load(img, artwork.id, size);
  return h("span", { class: "thumb" }, img);
}

const titleOf = (a: Artwork) => metaField(a.meta, "title") || a.id;

/** One result or browse card: the picture and title search for more like it; Details opens the panel. */
export function card(artwork: Artwork | Hit, loader: ThumbLoader, actions: CardActions): HTMLLIElement {
  const title = titleOf(artwork);
  const artist = metaField(artwork.meta, "artist");
  const pick = h(
    "button",
    { class: "pick", type: "button", "aria-label": `More like this: ${title}${artist ? `, ${artist}` : ""}` },
    thumb(loader, artwork, 256, title),
    "rank" in artwork ? h("span", { class: "rank", "aria-hidden": "true" }, `#${artwork.rank}`) : null,
    h("span", { class: "title" }, title),
    artist ? h("span", { class: "artist" }, artist) : null,
  );
  pick.addEventListener("click", () => actions.more(artwork));
  const details = h("button", { class: "quiet details", type: "button" }, "Details");
  details.setAttribute("aria-label", `Details of ${title}`);
  details.addEventListener("click", () => actions.details(artwork, details));
  const tags = Object.entries(artwork.facets)
    .filter(([, v]) => v !== "")
    .map(([facet, value]) => h("span", { class: "tag", title: facet }, value));
  return h(
    "li",
    { class: "card", "data-id": artwork.id },
    pick,
    h(
      "div",
      { class: "card-foot" },
      h("span", { class: "tags" }, ...tags),
      "score" in artwork
        ? h("span", { class: "score", title: "cosine similarity to the query" }, artwork.score.toFixed(3))
        : null,
      details,
    ),
  );
}

/** The facet chips: built once; `sync` updates aria-pressed in place so keyboard focus stays put. */
export function filterChips(
  facets: Record<string, FacetValue[]>,
  onToggle: (facet: string, value: string) => void,
): { root: HTMLElement; sync(filter: Filter): void } {
  const chips: { facet: string; value: string; el: HTMLButtonElement }[] = [];
  const groups = Object.entries(facets)
    .filter(([, values]) => values.length > 0)
    .map(([facet, values]) => {
      const row = h("div", { class: "chips" });
      values.forEach((v, i) => {
        const el = h(
          "button",
          {
            class: "chip",
            type: "button",
            "aria-pressed": "false",
            "data-facet": facet,
            "data-value": v.value,
          },
          h("span", { class: "chip-value" }, v.value),
          h("span", { class: "count", "aria-label": `${v.count} artworks` }, String(v.count)),
        );
        if (i >= SHOWN_VALUES) el.classList.add("extra");
        el.addEventListener("click", () => onToggle(facet, v.value));
        chips.push({ facet, value: v.value, el });
        row.append(el);
      });
      const group = h("fieldset", { class: "facet" }, h("legend", {}, facet), row);
      if (values.length > SHOWN_VALUES) {
        const toggle = h(
          "button",
          { class: "quiet more-values", type: "button", "aria-expanded": "false" },
          `${values.length - SHOWN_VALUES} more…`,
        );
        toggle.addEventListener("click", () => {
          const open = group.classList.toggle("open");
          toggle.setAttribute("aria-expanded", String(open));
          toggle.textContent = open ? "fewer" : `${values.length - SHOWN_VALUES} more…`;
        });
        row.append(toggle);
      }
      return group;
    });
  return {
    root: h("div", { class: "facet-groups" }, ...groups),
    sync(filter) {
      for (const c of chips) {
        const on = filter[c.facet]?.includes(c.value) ?? false;
        c.el.setAttribute("aria-pressed", String(on));
      }
    },
  };
}

/** What is being searched for, above the grid. */
export function queryPanel(
  target: SearchTarget,
  loader: ThumbLoader,
  actions: { clear(): void; details(a: Artwork, from: HTMLElement): void },
): HTMLElement[] {
  const clear = h("button", { class: "quiet", type: "button" }, "Clear search");
  clear.addEventListener("click", actions.clear);
  if (target.kind === "id") {
    const a = target.artwork;
    const details = h("button", { class: "quiet", type: "button" }, "Details");
    details.addEventListener("click", () => actions.details(a, details));
    const artist = metaField(a.meta, "artist");
    return [
      thumb(loader, a, 128, titleOf(a)),
      h(
        "div",
        { class: "query-text" },
        h("p", { class: "muted" }, "More like"),
        h("p", { class: "title" }, titleOf(a)),
        artist ? h("p", { class: "artist" }, artist) : null,
        h("p", { class: "row" }, details, clear),
      ),
    ];
  }
  if (target.kind === "upload") {
    return [
      h(
        "span",
        { class: "thumb" },
        h("img", { src: target.preview, alt: "Your image", width: 128, height: 128 }),
      ),
      h(
        "div",
        { class: "query-text" },
        h("p", { class: "muted" }, "Similar to your image"),
        h("p", { class: "title" }, target.file.name || "pasted image"),
        h("p", { class: "row" }, clear),
      ),
    ];
  }
  return [
    h(
      "div",
      { class: "query-text" },
      h("p", { class: "muted" }, "Similar to the image at"),
      h("p", { class: "title url" }, target.url),
      h("p", { class: "row" }, clear),
    ),
  ];
}

/** The detail panel's content: a larger picture, every facet and metadata field, and "more like this". */
export function detailView(artwork: Artwork, loader: ThumbLoader, more: (a: Artwork) => void): HTMLElement[] {
  const title = titleOf(artwork);
  const rows = (entries: [string, string][]) =>
    entries
      .filter(([, v]) => v !== "")
      .flatMap(([k, v]) => [
        h("dt", {}, k),
        h("dd", {}, isWebLink(v) ? h("a", { href: v, target: "_blank", rel: "noopener noreferrer" }, v) : v),
      ]);
  const button = h("button", { type: "button" }, "More like this");
  button.addEventListener("click", () => more(artwork));
  return [
    thumb(loader, artwork, 512, title),
    h("h2", { id: "detail-title", tabindex: "-1" }, title),
    h("p", { class: "artist" }, metaField(artwork.meta, "artist")),
    button,
    h("h3", {}, "Facets"),
    h("dl", {}, ...rows(Object.entries(artwork.facets))),
    h("h3", {}, "Catalog record"),
    h("dl", {}, ...rows([["id", artwork.id], ...Object.entries(artwork.meta)])),
  ];
}
