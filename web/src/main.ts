import {
  ApiError,
  type Artwork,
  createApiClient,
  type Filter,
  type Hit,
  type SearchTarget,
} from "./api-client.js";
import { byId, h } from "./dom.js";
import { askForKey } from "./key-dialog.js";
import { createThumbLoader } from "./thumb-loader.js";
import { card, detailView, filterChips, queryPanel } from "./views.js";

const api = createApiClient(askForKey);
const gridThumbs = createThumbLoader(api);
const panelThumbs = createThumbLoader(api, 2);
const detailThumbs = createThumbLoader(api, 1);

const el = {
  info: byId("index-info"),
  keyButton: byId<HTMLButtonElement>("key-button"),
  urlForm: byId<HTMLFormElement>("url-form"),
  urlInput: byId<HTMLInputElement>("url-input"),
  upload: byId<HTMLButtonElement>("upload-button"),
  file: byId<HTMLInputElement>("file-input"),
  n: byId<HTMLSelectElement>("n-select"),
  filters: byId("filters"),
  query: byId("query"),
  status: byId("status"),
  error: byId("error"),
  grid: byId("grid"),
  more: byId<HTMLButtonElement>("more"),
  detail: byId("detail"),
  detailBody: byId("detail-body"),
  detailClose: byId<HTMLButtonElement>("detail-close"),
};

const state = {
  target: null as SearchTarget | null,
  filter: {} as Filter,
  /** Browsing (no target): how many artworks are shown; searching: how many results were asked. */
  shown: 0,
  /** Bumped by every new search or browse, so a late answer to an old one is dropped. */
  run: new AbortController(),
  chips: undefined as ReturnType<typeof filterChips> | undefined,
  detailOpener: null as HTMLElement | null,
};

const pageSize = () => Number(el.n.value);
const hasFilter = () => Object.values(state.filter).some((v) => v.length > 0);

function showError(error: unknown): void {
  if (error instanceof DOMException && error.name === "AbortError") return;
  const message = error instanceof Error ? error.message : String(error);
  el.error.replaceChildren(
    h("strong", {}, "Something went wrong: "),
    message,
    error instanceof ApiError && error.status === 401 ? " — use “Enter API key” above." : "",
  );
  el.error.hidden = false;
  if (error instanceof ApiError && error.status === 401) {
    el.keyButton.textContent = "Enter API key";
    el.keyButton.hidden = false;
  }
}

const actions = {
  more: (artwork: Artwork) => setTarget({ kind: "id", id: artwork.id, artwork }, true),
  details: openDetail,
};

/** Runs the current search, or lists the collection when there is none; `append` adds the next page. */
async function refresh(append = false): Promise<void> {
  state.run.abort();
  state.run = new AbortController();
  const { signal } = state.run;
  el.error.hidden = true;
  el.grid.setAttribute("aria-busy", "true");
  try {
    let items: (Artwork | Hit)[];
    let text: string;
    let more: boolean;
    if (state.target) {
      const n = append ? state.shown + pageSize() : pageSize();
      const { matches, results } = await api.search(state.target, n, state.filter, signal);
      state.shown = n;
      items = results;
      more = results.length === n && matches > n;
      text =
        results.length === 0
          ? "No artworks match these filters."
          : `The ${results.length} most similar of ${matches} ${hasFilter() ? "matching " : ""}artworks.`;
      append = false; // a bigger search answers the whole list again
    } else {
      const offset = append ? state.shown : 0;
      const page = await api.artworks(offset, pageSize(), state.filter, signal);
      items = page.artworks;
      state.shown = offset + page.artworks.length;
      more = state.shown < page.total;
      text =
        page.total === 0
          ? "No artworks match these filters."
          : `Showing ${state.shown} of ${page.total} ${hasFilter() ? "matching " : ""}artworks. Pick one to find more like it.`;
    }
    if (signal.aborted) return;
    if (!append) gridThumbs.reset();
    const cards = items.map((a) => card(a, gridThumbs, actions));
    if (append) el.grid.append(...cards);
    else el.grid.replaceChildren(...cards);
    el.status.textContent = text;
    el.more.hidden = !more;
  } catch (error) {
    showError(error);
  } finally {
    if (!signal.aborted) el.grid.removeAttribute("aria-busy");
  }
}

function setTarget(target: SearchTarget | null, push: boolean): void {
  if (state.target?.kind === "upload") URL.revokeObjectURL(state.target.preview);
  state.target = target;
  if (push) {
    const hash = target?.kind === "id" ? `#more-like=${encodeURIComponent(target.id)}` : "";
    history.pushState(null, "", hash || location.pathname);
  }
  panelThumbs.reset();
  el.query.hidden = target === null;
  el.query.replaceChildren(
    ...(target
      ? queryPanel(target, panelThumbs, { clear: () => setTarget(null, true), details: openDetail })
      : []),
  );
  void refresh();
}

function openDetail(artwork: Artwork, from: HTMLElement): void {
  state.detailOpener = from;
  detailThumbs.reset();
  el.detailBody.replaceChildren(
    ...detailView(artwork, detailThumbs, (a) => {
      closeDetail();
      actions.more(a);
    }),
  );
  el.detail.hidden = false;
  document.getElementById("detail-title")?.focus();
}

function closeDetail(): void {
  if (el.detail.hidden) return;
  el.detail.hidden = true;
  detailThumbs.reset();
  state.detailOpener?.focus();
}

function toggleFilter(facet: string, value: string): void {
  const values = state.filter[facet] ?? [];
  state.filter[facet] = values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
  if (state.filter[facet].length === 0) delete state.filter[facet];
  state.chips?.sync(state.filter);
  void refresh();
}

function searchFile(file: File | undefined): void {
  if (!file) return;
  if (!file.type.startsWith("image/") && file.type !== "") {
    showError(new Error(`${file.name} is not an image (${file.type})`));
    return;
  }
  setTarget({ kind: "upload", file, preview: URL.createObjectURL(file) }, true);
}

/** "#more-like=<id>": a search someone can bookmark, and what Back returns to. */
async function targetFromHash(): Promise<void> {
  const id = new URLSearchParams(location.hash.slice(1)).get("more-like");
  if (!id) return setTarget(null, false);
  try {
    const artwork = await api.artwork(id);
    setTarget({ kind: "id", id, artwork }, false);
  } catch (error) {
    showError(error);
    setTarget(null, false);
  }
}

function wire(): void {
  el.urlForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const url = el.urlInput.value.trim();
    if (url) setTarget({ kind: "url", url }, true);
  });
  el.upload.addEventListener("click", () => el.file.click());
  el.file.addEventListener("change", () => {
    searchFile(el.file.files?.[0]);
    el.file.value = "";
  });
  el.n.addEventListener("change", () => void refresh());
  el.more.addEventListener("click", () => void refresh(true));
  el.detailClose.addEventListener("click", closeDetail);
  el.keyButton.addEventListener("click", async () => {
    const key = await askForKey(false);
    if (key === null) return;
    api.setKey(key);
    location.reload();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeDetail();
    const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement;
    if (event.key === "/" && !typing) {
      event.preventDefault();
      el.urlInput.focus();
    }
  });
  document.addEventListener("paste", (event) => {
    const file = [...(event.clipboardData?.files ?? [])].find((f) => f.type.startsWith("image/"));
    if (file) {
      event.preventDefault();
      searchFile(file);
    }
  });
  document.addEventListener("dragover", (event) => event.preventDefault());
  document.addEventListener("drop", (event) => {
    event.preventDefault();
    searchFile(event.dataTransfer?.files[0]);
  });
  window.addEventListener("popstate", () => void targetFromHash());
}

async function start(): Promise<void> {
  wire();
  try {
    const [version, facets] = await Promise.all([api.version().catch(() => ""), api.facets()]);
    const names = Object.keys(facets.facets);
    el.info.textContent = `${facets.artworks} artworks${names.length ? ` · facets: ${names.join(", ")}` : ""}${version ? ` · mosaic ${version}` : ""}`;
    if (api.hasKey()) el.keyButton.hidden = false;
    state.chips = filterChips(facets.facets, toggleFilter);
    el.filters.replaceChildren(state.chips.root);
  } catch (error) {
    el.info.textContent = "The index could not be loaded.";
    showError(error);
    return;
  }
  await targetFromHash();
}

void start();
