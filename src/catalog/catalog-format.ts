/** The row formats a catalog can be in. */
export type CatalogFormat = "csv" | "tsv" | "jsonl";

/** Format from the file extension (query string ignored); undefined when the name says nothing. */
export function formatFromName(location: string): CatalogFormat | undefined {
  const name = location.replace(/[?#].*$/, "").toLowerCase();
  if (name.endsWith(".csv")) return "csv";
  if (name.endsWith(".tsv") || name.endsWith(".tab")) return "tsv";
  if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return "jsonl";
  return undefined;
}

/** Guess the format from the first line (for .txt and unknown names): JSON object, tabs or commas. */
export function sniffFormat(firstLine: string): CatalogFormat {
  if (firstLine.trimStart().startsWith("{")) return "jsonl";
  const tabs = firstLine.split("\t").length - 1;
  const commas = firstLine.split(",").length - 1;
  return tabs > 0 && tabs >= commas ? "tsv" : "csv";
}
