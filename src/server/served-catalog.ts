import type { FacetValues } from "../vector-index/resolve-filter.js";
import type { Filter, IndexManifest, IndexRecord, StoredTransform } from "../vector-index/types.js";
import type { QueryPorts, QueryRequest, QueryResult } from "../query/query.js";

/** What a search needs from outside the catalog for an image target: the (batching) model and image I/O. */
export type ImageQueryPorts = Required<Pick<QueryPorts, "fetchImage" | "decodeImage" | "embedder">>;

/** One page of artworks in index order, among those a filter admits. */
export interface CatalogPage {
  /** Artworks the filter admits (all of them without one). */
  total: number;
  records: IndexRecord[];
}

/**
 * What the HTTP service reads from an index, whichever store holds it: a file index in memory
 * (file-catalog.ts) or a pgvector table (pg-catalog.ts). Both answer with the same contract, so the routes
 * never know which one they serve.
 */
export interface ServedCatalog {
  manifest: IndexManifest;
  /** A version-2 index's fitted transform, which every query embedding goes through. */
  transform?: StoredTransform | undefined;
  /** Artworks in the index. */
  count: number;
  /** Facet → value → holders (only `.length` is read): filter resolution, /v1/facets, legacy labels. */
  facetValues: FacetValues;
  /** One artwork by id, or undefined. */
  record(id: string): Promise<IndexRecord | undefined>;
  /** Artworks in index order from `offset`; filter values are matched exactly, an unknown field is a UsageError. */
  page(filter: Filter | undefined, offset: number, limit: number): Promise<CatalogPage>;
  /** One search with query()'s request and result contract. */
  query(request: QueryRequest, ports: ImageQueryPorts): Promise<QueryResult>;
}
