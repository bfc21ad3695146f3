/**
 * What the HTML reports show, already reduced to display text: the renderers take these plain objects
 * and nothing else, so they stay pure and easy to merge with changes to the query or eval results.
 */

/** A picture the page can show without the network: a `data:` URI or a path relative to the page. */
export interface ReportImage {
  src: string;
  width?: number | undefined;
  height?: number | undefined;
}

export interface ReportArtwork {
  id: string;
  /** Empty when the catalog has none; the id is shown instead. */
  title: string;
  artist: string;
  /** [facet, value] in the index's facet order; empty values left out. */
  facets: [string, string][];
  image?: ReportImage | undefined;
  /** Shown in place of the picture when there is none (e.g. "image unavailable: http_404"). */
  imageNote?: string | undefined;
}

export interface ReportHit extends ReportArtwork {
  rank: number;
  score: number;
}

export type ReportQuery =
  | { kind: "artwork"; artwork: ReportArtwork }
  | { kind: "image"; name: string; image?: ReportImage | undefined; imageNote?: string | undefined };

export interface QueryReport {
  query: ReportQuery;
  /** The filter as given after matching (field → values). */
  filter: Record<string, string[]>;
  /** How many indexed artworks the filter admitted (minus the query artwork itself). */
  matches: number;
  hits: ReportHit[];
  /** Free text under the page, e.g. "mosaic 0.1.0 · index .mosaic/index"; no clock inside the renderer. */
  footer?: string | undefined;
}

export interface EvalLabelRow {
  value: string;
  /** Artworks with this label. */
  count: number;
  /** Mean precision@k over them. */
  precision: number;
  /** A random ranking's expected precision for this label: (count − 1) / (N − 1). */
  baseline: number;
}

export interface EvalExampleNeighbour extends ReportArtwork {
  label: string;
  score: number;
  correct: boolean;
}

export interface EvalExample {
  query: ReportArtwork & { label: string };
  neighbours: EvalExampleNeighbour[];
}

export interface EvalReport {
  label: string;
  k: number;
  precision: number;
  randomBaseline: number;
  evaluated: number;
  skipped: number;
  perLabel: EvalLabelRow[];
  examples: EvalExample[];
  footer?: string | undefined;
}
