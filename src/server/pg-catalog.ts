import type { PgStore } from "../pgvector/pg-store.js";
import { queryPg } from "../query/query-pg.js";
import type { ServedCatalog } from "./served-catalog.js";

/** A pgvector table as the service's catalog: records, pages and searches come from PostgreSQL per request. */
export function pgCatalog(store: PgStore): ServedCatalog {
  return {
    manifest: store.manifest,
    count: store.manifest.count,
    transform: store.transform,
    facetValues: store.facetValues,
    record: async (id) => (await store.lookup(id))?.record,
    page: (filter, offset, limit) => store.page(filter, offset, limit),
    query: (request, ports) => queryPg(request, { store, ...ports }),
  };
}
