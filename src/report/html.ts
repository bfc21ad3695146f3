/**
 * A tiny HTML builder whose default is safe: every value interpolated into {@link html} is escaped
 * unless it is itself the result of `html` (or {@link raw}). Catalog text (titles, artists, facet values)
 * is untrusted — a museum export can hold `<script>` as easily as a title — so nothing reaches the page
 * without passing through here.
 */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Part = SafeHtml | string | number | null | undefined | false | readonly Part[];

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

/** Escapes text for element content and for quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return "";
  if (part instanceof SafeHtml) return part.text;
  if (Array.isArray(part)) return part.map(render).join("");
  return escapeHtml(String(part));
}

/** Template tag: literal markup stays, interpolations are escaped (arrays are joined, empty parts dropped). */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? "");
  return new SafeHtml(out);
}

/** Markup this module did not build but that is known to be safe (the page's own CSS). */
export function raw(text: string): SafeHtml {
  return new SafeHtml(text);
}

/**
 * An image source the report may use: a `data:image/…;base64,` URI or a relative path. Anything else
 * (a scheme such as `javascript:` or `http:`, which would also break "no network") becomes undefined.
 */
export function safeImageSrc(src: string | undefined): string | undefined {
  if (src === undefined) return undefined;
  if (/^data:image\/(?:jpeg|png|webp|gif);base64,[A-Za-z0-9+/=]+$/.test(src)) return src;
  // Relative URL paths only: no scheme, no protocol-relative //host, no backslashes.
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(src) || src.startsWith("//") || src.includes("\\")) return undefined;
  return src;
}
