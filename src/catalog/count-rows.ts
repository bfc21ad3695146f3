import { createReadStream } from "node:fs";
import { type CatalogFormat, formatFromName } from "./catalog-format.js";

/**
 * Rows of a local catalog file, counted from its line breaks without parsing (fast: one pass over the
 * bytes): lines with content, less the header for CSV/TSV. A quoted field spanning lines makes it an
 * over-estimate, which featurize corrects once it has read the catalog. undefined when unreadable.
 */
export async function countCatalogRows(
  file: string,
  format: CatalogFormat | undefined,
  signal?: AbortSignal,
): Promise<number | undefined> {
  let lines = 0;
  let pending = false; // bytes after the last line break
  try {
    for await (const chunk of createReadStream(file, { signal }) as AsyncIterable<Buffer>) {
      let at = chunk.indexOf(10);
      let from = 0;
      while (at >= 0) {
        if (at > from || pending) lines++;
        pending = false;
        from = at + 1;
        at = chunk.indexOf(10, from);
      }
      if (from < chunk.length) pending = true;
    }
  } catch {
    return undefined;
  }
  if (pending) lines++;
  const kind = format ?? formatFromName(file);
  return Math.max(0, kind === "jsonl" ? lines : lines - 1);
}
