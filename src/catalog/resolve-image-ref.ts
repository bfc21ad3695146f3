import path from "node:path";
import type { ImageBase } from "./catalog-source.js";

export type ImageRef = { ok: true; image: string } | { ok: false; reason: string };

// Two or more letters so a Windows drive ("C:\x") still reads as a path, not a scheme.
const SCHEME = /^([a-z][a-z0-9+.-]+):/i;

/**
 * Turns a catalog cell into what the image fetcher takes: http(s) URLs as they are, anything else a path
 * relative to the catalog (a directory, or the catalog URL). Other schemes (file:, data:, javascript:)
 * are refused so a catalog cannot point the fetcher somewhere unexpected.
 */
export function resolveImageRef(value: string, base: ImageBase): ImageRef {
  const scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
  if (scheme === "http" || scheme === "https") {
    return URL.canParse(value) ? { ok: true, image: value } : { ok: false, reason: `invalid URL ${value}` };
  }
  if (scheme !== undefined) return { ok: false, reason: `unsupported scheme ${scheme}: in ${value}` };
  if (base.kind === "dir") return { ok: true, image: path.resolve(base.dir, value) };
  return { ok: true, image: new URL(value, base.url).href };
}
