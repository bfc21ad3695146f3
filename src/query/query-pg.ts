import { UsageError } from "../errors.js";
import type { PgStore } from "../pgvector/pg-store.js";
import { resolveFilter } from "../vector-index/resolve-filter.js";
import type { IndexRecord } from "../vector-index/types.js";
import type { QueryPorts, QueryRequest, QueryResult } from "./query.js";

export interface PgQueryPorts extends Omit<QueryPorts, "index" | "search"> {
  store: PgStore;
}

/**
 * `query` against a pgvector table: the same request, filter matching (case and accents ignored, unmatched
 * values reported) and result contract as the file index, with the rows and scores from PostgreSQL.
 */
export async function queryPg(request: QueryRequest, ports: PgQueryPorts): Promise<QueryResult> {
  const { store } = ports;
  if (!Number.isInteger(request.n) || request.n < 1) {
    throw new UsageError(`n must be a positive integer, got ${request.n}`);
  }
  const { filter, unmatched } = resolveFilter({ postings: store.facetValues }, request.filter);
  let vector: Float32Array;
  let excludeId: string | undefined;
  let queryRecord: IndexRecord | undefined;
  if ("id" in request.target) {
    const found = await store.lookup(request.target.id);
    if (found === undefined) {
      throw new UsageError(`No artwork with id "${request.target.id}" in the index`, {
        hint: "Use an id from the index's records (see `mosaic query --json` output).",
      });
    }
    vector = found.vector;
    excludeId = request.target.id;
    queryRecord = found.record;
  } else {
    const { fetchImage, decodeImage, embedder } = ports;
    if (!fetchImage || !decodeImage || !embedder)
      throw new Error("queryPg: image targets need fetch, decode and embedder ports");
    const bytes = "bytes" in request.target ? request.target.bytes : await fetchImage(request.target.image);
    const pixels = await decodeImage(bytes, store.manifest.model.preprocess);
    vector = await embedder.embed(pixels, 1);
  }
  const { hits, matches } = await store.search(vector, { n: request.n, filter, excludeId });
  return {
    matches,
    unmatched,
    ...(queryRecord ? { query: queryRecord } : {}),
    hits: hits.map((hit, i) => ({ rank: i + 1, score: hit.score, id: hit.id, record: hit.record })),
  };
}
