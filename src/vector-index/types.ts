import type { PreprocessSpec } from "../contracts/preprocess-spec.js";

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
  /** 1: vectors.f32 are the model's features. 2: they went through the collection-fitted `transform`. */
  version: 1 | 2;
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
  /**
   * Where records' relative `image` paths are resolved from: the catalog's directory, relative to the
   * index directory (local catalogs only; URLs need none). Absent in indexes built before it.
   */
  imageRoot?: string;
  /**
   * Version 2: the post-processing fitted on this collection. `model.dim` is then the raw feature
   * width (raw.f32) and `dim` the searchable width (vectors.f32); queries go through the same transform.
   */
  transform?: TransformHeader;
}

/** What a collection-fitted transform is, without its parameters (those are in transform.f32). */
export interface TransformHeader {
  /** Version of the parameter layout; a reader refuses one it does not know. */
  version: 1;
  kind: "pw";
  inDim: number;
  outDim: number;
  shrink: number;
  power: number;
  /**
   * Consecutive blocks of the raw vector. transform.f32 holds, per block in order, its mean (inDim
   * floats) then its k projection rows (k × inDim floats, whitening scale folded in).
   */
  blocks: { inDim: number; k: number; weight: number }[];
  /** Database-side augmentation over the k nearest others; dba.f32 holds each row's k-th score. */
  dba: { k: number } | null;
  /** Rows the transform was fitted on (a refit pays once the index has grown well past it). */
  fittedOn: number;
  /** "collection": fitted on this index's own rows; otherwise the name of the shipped reference fit. */
  source: string;
}

/** A transform as stored: header plus its parameters (and the DBA k-th scores, per row). */
export interface StoredTransform {
  header: TransformHeader;
  params: Float32Array;
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
  /** Present for version-2 indexes: what a query vector must go through before it is compared. */
  transform?: StoredTransform | undefined;
  recordById(id: string): IndexRecord | undefined;
  ordinalOf(id: string): number | undefined;
}
