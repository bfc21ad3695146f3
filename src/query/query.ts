import { UsageError } from "../errors.js";
import type { EmbedPort } from "../contracts/ports.js";
import { type SearchOptions, searchExactWithMatches } from "../search/search-exact.js";
import type { Filter, IndexRecord, SearchHit, VectorIndex } from "../vector-index/types.js";
import { resolveFilter, type UnmatchedFilterValue } from "../vector-index/resolve-filter.js";
import type { PreprocessSpec } from "../contracts/preprocess-spec.js";

/** What to search for: an image (path, URL or bytes) or an artwork already in the index ("more like this"). */
export type QueryTarget = { image: string } | { bytes: Buffer } | { id: string };

export interface QueryRequest {
  target: QueryTarget;
  n: number;
  filter?: Filter;
}

export interface QueryHit {
  rank: number;
  score: number;
  id: string;
  record: IndexRecord;
}

export interface QueryResult {
  hits: QueryHit[];
  /** How many indexed artworks matched the filter (all of them without one). */
  matches: number;
  /** Filter values that matched no artwork, even ignoring case and accents, with the nearest values. */
  unmatched: UnmatchedFilterValue[];
  /** For an id target ("more like this"): the artwork searched for. */
  query?: IndexRecord | undefined;
}

export interface QueryPorts {
  index: VectorIndex;
  /** Needed only for image targets. */
  fetchImage?(ref: string): Promise<Buffer>;
  decodeImage?(buf: Buffer, spec: PreprocessSpec): Promise<Float32Array>;
  embedder?: EmbedPort;
  /** The search engine; exact scan when absent. */
  search?(vector: Float32Array, options: SearchOptions): { hits: SearchHit[]; matches: number };
}

/**
 * Embed one image (or take an indexed artwork's vector) and run a filtered search. Facet names and values
 * match ignoring case and accents (see resolveFilter).
 */
export async function query(request: QueryRequest, ports: QueryPorts): Promise<QueryResult> {
  const { index } = ports;
  if (!Number.isInteger(request.n) || request.n < 1) {
    throw new UsageError(`n must be a positive integer, got ${request.n}`);
  }
  // Before the model runs: an unknown facet is a usage error, and values take the index's own spelling.
  const { filter, unmatched } = resolveFilter(index, request.filter);
  let vector: Float32Array;
  let excludeOrdinal: number | undefined;
  if ("id" in request.target) {
    const ordinal = index.ordinalOf(request.target.id);
    if (ordinal === undefined) {
      throw new UsageError(`No artwork with id "${request.target.id}" in the index`, {
        hint: "Use an id from the index's records (see `mosaic query --json` output).",
      });
    }
    vector = index.vectors.subarray(ordinal * index.dim, (ordinal + 1) * index.dim);
    excludeOrdinal = ordinal;
  } else {
    const { fetchImage, decodeImage, embedder } = ports;
    if (!fetchImage || !decodeImage || !embedder)
      throw new Error("query: image targets need fetch, decode and embedder ports");
    const bytes = "bytes" in request.target ? request.target.bytes : await fetchImage(request.target.image);
    const pixels = await decodeImage(bytes, index.manifest.model.preprocess);
    // Raw features: every search path normalizes the query itself (toUnitFloat32), exactly once.
    vector = await embedder.embed(pixels, 1);
  }
  const search = ports.search ?? ((v: Float32Array, o: SearchOptions) => searchExactWithMatches(index, v, o));
  const { hits, matches } = search(vector, { n: request.n, filter, excludeOrdinal });
  return {
    matches,
    unmatched,
    ...(excludeOrdinal !== undefined ? { query: index.records[excludeOrdinal] } : {}),
    hits: hits.map((hit, i) => ({
      rank: i + 1,
      score: hit.score,
      id: hit.id,
      record: index.records[hit.ordinal] as IndexRecord,
    })),
  };
}
