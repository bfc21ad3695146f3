import type { PreprocessSpec } from "../model/preprocess-spec.js";

/** One indexed artwork; its position in records.jsonl is its ordinal (the row of its vector). */
export interface IndexRecord {
  id: string;
  image: string;
  /** Facet values by facet name; an empty string means "no value" and is not indexed. */
  facets: Record<string, string>;
  meta: Record<string, string>;
}

/** The model that produced the vectors; an index is only comparable with queries from the same model. */
export interface ModelInfo {
  id: string;
  dim: number;
  preprocess: PreprocessSpec;
}

/** Size and checksum of one data file, recorded in the manifest. */
export interface IndexFileEntry {
  bytes: number;
  sha256: string;
}

/** manifest.json: written last, so its presence means the index is complete. */
export interface IndexManifest {
  format: "mosaic-index";
  version: 1;
  createdAt: string;
  model: ModelInfo;
  dim: number;
  count: number;
  /** Facet names with postings, in declaration order. */
  facets: string[];
  normalized: true;
  files: Record<string, IndexFileEntry>;
  /**
   * The catalog's own names for the id column and each facet's column (e.g. culture ← "Culture"), so
   * answers can speak the catalog's vocabulary (the legacy API does). Absent in indexes built before it.
   */
  columns?: IndexColumns;
}

/** Catalog column names of an index: the id column and facet name → column. */
export interface IndexColumns {
  id: string;
  facets: Record<string, string>;
}

/** AND across fields, OR within a field's values. Empty or undefined means no filter. */
export type Filter = Record<string, string[]>;

export interface SearchHit {
  ordinal: number;
  id: string;
  /** Inner product with the (normalized) query: cosine similarity in [-1, 1]. */
  score: number;
}

/** Postings by facet name, then by value: ascending ordinals of the records with that value. */
export type Postings = Map<string, Map<string, Uint32Array>>;

/** A loaded index, fully in memory. */
export interface VectorIndex {
  manifest: IndexManifest;
  dim: number;
  count: number;
  /** count × dim, row-major, each row L2-normalized (or all zero). */
  vectors: Float32Array;
  records: IndexRecord[];
  postings: Postings;
  recordById(id: string): IndexRecord | undefined;
  ordinalOf(id: string): number | undefined;
}
