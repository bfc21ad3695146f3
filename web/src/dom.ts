type Attrs = Record<string, string | number | boolean | undefined>;
export type Child = Node | string | null | undefined | false;

/**
 * Builds an element: attributes by their HTML names (`class`, `aria-label`), `true` for a bare
 * attribute, false/undefined left out; text children become text nodes, so nothing is parsed as HTML.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children)
    if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

/** The element with this id, which index.html is known to have. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html has no #${id}`);
  return el as T;
}

/** Case-insensitive metadata lookup: catalogs spell "Title" and "title" alike. */
export function metaField(meta: Record<string, string>, name: string): string {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(meta)) if (key.toLowerCase() === lower) return value;
  return "";
}

/** A web link worth offering: only http(s), never javascript: or a server-side path. */
export function isWebLink(value: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(value);
}
