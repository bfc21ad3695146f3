import { UsageError } from "../errors.js";
import type { CatalogFormat } from "./catalog-format.js";
import type { Shard } from "./shard.js";

/** How to read a catalog. Defaults match the original MosAIc tab-separated schema. */
export interface CatalogOptions {
  /** Overrides detection by file extension / header sniffing. */
  format?: CatalogFormat;
  /** Column holding the unique id (header matching is case-insensitive). Default "id". */
  idColumn?: string;
  /** Image columns tried in order; the first non-empty usable one wins. Default Thumbnail_Url, Image_Url. */
  imageColumns?: string[];
  /** Facet name → column. Default { culture: "Culture", classification: "Classification" }. */
  facets?: Record<string, string>;
  /** Stop after this many artworks. */
  limit?: number;
  /** Keep only the rows of one shard (by FNV-1a hash of the id). */
  shard?: Shard;
  /** Longest CSV/TSV record in characters before an unclosed quote is reported. Default 1 Mi. */
  maxRecordChars?: number;
  signal?: AbortSignal;
}

export const DEFAULT_ID_COLUMN = "id";
export const DEFAULT_IMAGE_COLUMNS: readonly string[] = ["Thumbnail_Url", "Image_Url"];
export const DEFAULT_FACETS: Readonly<Record<string, string>> = {
  culture: "Culture",
  classification: "Classification",
};

/** Rejects impossible limit/shard values up front, naming the option. */
export function validateCatalogOptions(options: CatalogOptions): void {
  const { limit, shard } = options;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new UsageError(`limit must be a whole number ≥ 0, got ${limit}.`);
  }
  if (shard !== undefined) {
    const { index, count } = shard;
    if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count) {
      throw new UsageError(`shard ${index}/${count} is invalid.`, {
        hint: "Use a shard count ≥ 1 and an index from 0 to count-1.",
      });
    }
  }
  if (options.imageColumns !== undefined && options.imageColumns.length === 0) {
    throw new UsageError("imageColumns is empty.", {
      hint: "Name at least one column holding image URLs or paths.",
    });
  }
}
