import type { FastifyInstance } from "fastify";
import { UsageError } from "../errors.js";
import { facetValues } from "../vector-index/facet-values.js";
import { artworkJson } from "./artwork-json.js";
import { filterFromPairs, stringList } from "./search-input.js";
import type { ServedCatalog } from "./served-catalog.js";

const MAX_PAGE = 100;

/** A non-negative whole number from the query string, or the fallback. */
function wholeNumber(raw: unknown, name: string, fallback: number, max: number): number {
  if (raw === undefined || raw === "") return fallback;
  const n = typeof raw === "string" && /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n > max) {
    throw new UsageError(`${name} must be a whole number from 0 to ${max}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/**
 * What a front end needs before the first search: `GET /v1/facets` (every facet's values with counts,
 * most common first) and `GET /v1/artworks?offset=&limit=&filter=field=value` (index order, a page at
 * a time, only the artworks the filter admits; `total` counts those).
 */
export async function browseRoutes(app: FastifyInstance, deps: { catalog: ServedCatalog }): Promise<void> {
  const { catalog } = deps;
  const counts = { postings: catalog.facetValues, manifest: catalog.manifest };
  const facets = Object.fromEntries(catalog.manifest.facets.map((f) => [f, facetValues(counts, f)]));

  app.get("/v1/facets", async () => ({ artworks: catalog.count, facets }));

  app.get("/v1/artworks", async (request) => {
    const q = request.query as Record<string, unknown>;
    const offset = wholeNumber(q.offset, "offset", 0, Number.MAX_SAFE_INTEGER);
    const limit = wholeNumber(q.limit, "limit", 24, MAX_PAGE);
    const page = await catalog.page(filterFromPairs(stringList(q.filter)), offset, limit);
    return { total: page.total, offset, artworks: page.records.map(artworkJson) };
  });
}
