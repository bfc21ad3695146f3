import type { IndexRecord } from "../vector-index/types.js";
import type { QueryResult } from "./query.js";

/** Case-insensitive metadata lookup: catalogs spell "Title" and "title" alike. */
export function metaField(record: IndexRecord, name: string): string {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(record.meta)) if (key.toLowerCase() === lower) return value;
  return "";
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** Long image references keep their end (the file name), which tells them apart. */
function clipStart(text: string, width: number): string {
  return text.length <= width ? text : `…${text.slice(text.length - width + 1)}`;
}

/** A plain-text table for people: rank, score, id, title, artist, each facet and the image reference. */
export function formatResultsTable(result: QueryResult, facets: readonly string[]): string {
  if (result.hits.length === 0) return "No matching artworks.\n";
  const header = ["#", "score", "id", "title", "artist", ...facets, "image"];
  const rows = result.hits.map((hit) => [
    String(hit.rank),
    // Three decimals: float32 features and the model's own noise make further digits meaningless.
    hit.score.toFixed(3),
    hit.id,
    clip(metaField(hit.record, "title"), 40),
    clip(metaField(hit.record, "artist"), 24),
    ...facets.map((f) => clip(hit.record.facets[f] ?? "", 24)),
    // The catalog's own reference: a URL, or a path relative to the catalog.
    clipStart(hit.record.image, 48),
  ]);
  // A column no hit fills (a catalog without titles or artists) is noise: it is left out.
  const shown = header.map((_, i) => i <= 2 || rows.some((r) => (r[i] ?? "") !== ""));
  const keep = (cells: string[]) => cells.filter((_, i) => shown[i]);
  const kept = rows.map(keep);
  const keptHeader = keep(header);
  const widths = keptHeader.map((h, i) => Math.max(h.length, ...kept.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i <= 1 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return `${[line(keptHeader), ...kept.map(line)].join("\n")}\n`;
}

/** The JSON shape printed by `mosaic query --json` and returned by the HTTP v1 API. */
export type ResultsJson = ReturnType<typeof resultsToJson>;

/** Builds {@link ResultsJson}. */
export function resultsToJson(result: QueryResult) {
  return {
    matches: result.matches,
    // Present only when a filter value matched nothing: which values exist nearest to it.
    ...(result.unmatched.length > 0 ? { unmatched: result.unmatched } : {}),
    results: result.hits.map((hit) => ({
      rank: hit.rank,
      score: hit.score,
      id: hit.id,
      image: hit.record.image,
      facets: hit.record.facets,
      meta: hit.record.meta,
    })),
  };
}

/** For people (stderr): one line per filter value that matched nothing, naming the nearest values. */
export function unmatchedLines(result: QueryResult): string[] {
  return result.unmatched.map(({ field, value, nearest }) => {
    const near = nearest.length > 0 ? `; nearest: ${nearest.map((v) => JSON.stringify(v)).join(", ")}` : "";
    return `No ${field} matches ${JSON.stringify(value)}${near}`;
  });
}
