import { filterCandidates } from "../search/filter-candidates.js";
import type { VectorIndex } from "../vector-index/types.js";
import { type QueryPorts, query } from "../query/query.js";
import type { ServedCatalog } from "./served-catalog.js";

/** A loaded file index as the service's catalog; `search` is the engine (exact scan when absent). */
export function fileCatalog(index: VectorIndex, search?: QueryPorts["search"]): ServedCatalog {
  return {
    manifest: index.manifest,
    transform: index.transform,
    count: index.count,
    facetValues: index.postings,
    record: async (id) => index.recordById(id),
    async page(filter, offset, limit) {
      const admitted = filterCandidates(index, filter);
      if (admitted === undefined)
        return { total: index.count, records: index.records.slice(offset, offset + limit) };
      const page = admitted.subarray(Math.min(offset, admitted.length), offset + limit);
      return { total: admitted.length, records: [...page].map((o) => index.records[o]!) };
    },
    query: (request, ports) => query(request, { index, ...ports, search }),
  };
}
