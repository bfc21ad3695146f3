import type { FastifyInstance } from "fastify";
import { UsageError } from "../errors.js";
import type { Filter, IndexColumns } from "../vector-index/types.js";
import type { QueryResult } from "../query/query.js";
import { legacyArtwork } from "./artwork-json.js";
import { parseImageUrl, parseN, stringList } from "./search-input.js";
import type { Search } from "./search-service.js";

export interface LegacyRouteDeps {
  search: Search;
  resolveLabel(label: string | undefined): Filter | undefined;
  maxN: number;
  /** The catalog's column names (index manifest), for the artwork objects. */
  columns: IndexColumns | undefined;
}

/** Paths the original answered on: the service root, and /score (its Azure ML scoring URI). */
export const LEGACY_PATHS = ["/", "/score"] as const;

const toLegacy = (result: QueryResult, columns: IndexColumns | undefined) => ({
  results: result.hits.map((hit) => [legacyArtwork(hit.record, columns), hit.score] as const),
});

/**
 * The 2020 service's contract: POST `{url, n, query}` or GET `?url&n&culture|classification`, answering
 * `{results: [[artwork, score], ...]}` by score descending, or 400 `{error}` (the error handler sees
 * `config.legacy` and keeps that shape).
 */
export async function legacyRoutes(app: FastifyInstance, deps: LegacyRouteDeps): Promise<void> {
  for (const path of LEGACY_PATHS) {
    app.post(path, { config: { legacy: true, admission: true } }, async (request) => {
      const body = parseLegacyBody(request.body);
      const label = body.query;
      if (label !== undefined && label !== null && typeof label !== "string") {
        throw new UsageError("query must be a string label (a culture or classification)");
      }
      return toLegacy(
        await deps.search({
          target: { image: parseImageUrl(body.url) },
          n: parseN(body.n, deps.maxN),
          filter: deps.resolveLabel(label ?? undefined),
        }),
        deps.columns,
      );
    });

    app.get(path, { config: { legacy: true, admission: true } }, async (request) => {
      const params = request.query as Record<string, unknown>;
      const filter: Filter = {};
      for (const facet of ["culture", "classification"]) {
        const values = stringList(params[facet]).filter((v) => v !== "");
        if (values.length > 0) filter[facet] = values;
      }
      const label = stringList(params.query)[0];
      const byLabel = Object.keys(filter).length === 0 ? deps.resolveLabel(label) : undefined;
      return toLegacy(
        await deps.search({
          target: { image: parseImageUrl(stringList(params.url)[0]) },
          n: parseN(stringList(params.n)[0], deps.maxN),
          filter: byLabel ?? (Object.keys(filter).length > 0 ? filter : undefined),
        }),
        deps.columns,
      );
    });
  }
}

/** The original read the body as JSON whatever its content type (browsers send text/plain to skip preflight). */
function parseLegacyBody(body: unknown): Record<string, unknown> {
  let value = body;
  if (typeof body === "string" || Buffer.isBuffer(body)) {
    try {
      value = JSON.parse(body.toString());
    } catch {
      throw new UsageError(
        'Body is not valid JSON; send {"url": "https://...", "n": 10, "query": "<label>"}',
      );
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError('Body must be a JSON object like {"url": "https://...", "n": 10}');
  }
  return value as Record<string, unknown>;
}
