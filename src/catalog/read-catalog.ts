import { throwIfAborted, UsageError } from "../errors.js";
import type { Artwork, CatalogIssue } from "./artwork.js";
import { type CatalogFormat, formatFromName, sniffFormat } from "./catalog-format.js";
import { type CatalogOptions, validateCatalogOptions } from "./catalog-options.js";
import type { CatalogSource } from "./catalog-source.js";
import { createFileCatalogSource } from "./file-catalog-source.js";
import { createHttpCatalogSource } from "./http-catalog-source.js";
import { mapRecord } from "./map-record.js";
import type { ParsedRow } from "./parsed-row.js";
import { readDelimited } from "./read-delimited.js";
import { readJsonl } from "./read-jsonl.js";
import { inShard } from "./shard.js";
import { peekFirstLine, textChunks } from "./text-chunks.js";

/** What reading a catalog yields, in row order: a usable artwork or a reported issue. */
export type CatalogEntry = { kind: "artwork"; artwork: Artwork } | { kind: "issue"; issue: CatalogIssue };

export interface CatalogDeps {
  /** Tried in order; the first that `canOpen` the location opens it. Default: http(s), then local files. */
  sources?: CatalogSource[];
}

/**
 * Streams a catalog (local path or http(s) URL; CSV, TSV or JSONL) as artworks and issues in row order.
 * Memory stays flat for any size except the set of ids seen (for duplicate detection).
 * Missing files and unusable headers throw MosaicError/UsageError before the first entry.
 */
export async function* readCatalog(
  source: string,
  options: CatalogOptions = {},
  deps: CatalogDeps = {},
): AsyncGenerator<CatalogEntry> {
  validateCatalogOptions(options);
  const { limit, shard, signal } = options;
  if (limit === 0) return;
  const sources = deps.sources ?? [createHttpCatalogSource(), createFileCatalogSource()];
  const catalogSource = sources.find((candidate) => candidate.canOpen(source));
  if (catalogSource === undefined) {
    throw new UsageError(`No catalog reader handles ${source}.`, {
      hint: "Use a local path or an http(s) URL.",
    });
  }
  const opened = await catalogSource.open(source, signal);
  try {
    let chunks: AsyncIterable<string> = textChunks(opened.stream);
    let format: CatalogFormat | undefined = options.format ?? formatFromName(source);
    if (format === undefined) {
      const peeked = await peekFirstLine(chunks[Symbol.asyncIterator]());
      format = sniffFormat(peeked.firstLine);
      chunks = peeked.replay;
    }
    const rows: AsyncIterable<ParsedRow> =
      format === "jsonl"
        ? readJsonl(chunks, options, source)
        : readDelimited(chunks, format === "tsv" ? "\t" : ",", options, source);

    // Rows without a usable id cannot be sharded; shard 0 reports them so a sharded run still loses none.
    const reportsIdless = shard === undefined || shard.index === 0;
    const seen = new Set<string>();
    let artworks = 0;
    for await (const parsed of rows) {
      throwIfAborted(signal);
      if ("malformed" in parsed) {
        if (reportsIdless) {
          yield {
            kind: "issue",
            issue: { row: parsed.row, line: parsed.line, reason: "malformed_row", message: parsed.malformed },
          };
        }
        continue;
      }
      const mapped = mapRecord(
        parsed.record,
        parsed.plan,
        { row: parsed.row, line: parsed.line },
        opened.base,
      );
      if (mapped.kind === "issue" && !mapped.needsId) {
        if (reportsIdless) yield { kind: "issue", issue: mapped.issue };
        continue;
      }
      const id = mapped.kind === "artwork" ? mapped.artwork.id : mapped.issue.id;
      if (shard !== undefined && !inShard(id, shard)) continue;
      if (seen.has(id)) {
        const issue: CatalogIssue = {
          row: parsed.row,
          line: parsed.line,
          id,
          reason: "duplicate_id",
          message: `id ${id} appeared earlier`,
        };
        yield { kind: "issue", issue };
        continue;
      }
      seen.add(id);
      if (mapped.kind === "issue") {
        yield { kind: "issue", issue: mapped.issue };
        continue;
      }
      yield mapped;
      artworks += 1;
      if (limit !== undefined && artworks >= limit) return;
    }
  } finally {
    // Stops the download / closes the file when the consumer breaks early or hits the limit.
    opened.stream.destroy();
  }
}
