/** One catalog row that is good enough to featurize. */
export interface Artwork {
  /** Unique id from the catalog's id column. */
  id: string;
  /** 1-based data row number in the catalog (header excluded), for error reports. */
  row: number;
  /** 1-based physical line of the catalog file the row starts on (header = line 1 for CSV/TSV). */
  line?: number;
  /** Image reference: an http(s) URL, or an absolute local path (relative paths are resolved against the catalog). */
  image: string;
  /** Facet values by facet name (e.g. culture, classification); empty string when the row has none. */
  facets: Record<string, string>;
  /** Every other column, kept as metadata to show in results. */
  meta: Record<string, string>;
}

export type CatalogIssueReason = "missing_id" | "missing_image" | "duplicate_id" | "malformed_row";

/** A catalog row that was not used, and why. Nothing is dropped silently. */
export interface CatalogIssue {
  row: number;
  /** 1-based physical line of the catalog file, so a broken row can be found in an editor. */
  line?: number;
  id?: string;
  reason: CatalogIssueReason;
  message: string;
}
