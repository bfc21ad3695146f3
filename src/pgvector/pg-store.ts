import { UsageError } from "../errors.js";
import { compareStrings } from "../vector-index/compare-strings.js";
import { dot } from "../search/dot.js";
import { firstNonFinite, toUnitFloat32 } from "../vector-index/normalize.js";
import type { FacetValues } from "../vector-index/resolve-filter.js";
import type { Filter, IndexManifest, IndexRecord, StoredTransform } from "../vector-index/types.js";
import { scanIsCheaper } from "../search/plan-query.js";
import type { EngineKind } from "../search/types.js";
import { facetKey } from "./facet-key.js";
import { facetColumn, type PgTable, parseVector, pgTable, vectorLiteral } from "./pg-schema.js";
import { readState, readTransform, requirePgvector, versionAtLeast } from "./pg-state.js";
import type { SqlPort, SqlQuery } from "./sql-port.js";

export interface PgSearchOptions {
  n: number;
  filter?: Filter | undefined;
  /** Leave this artwork out (query-by-example). */
  excludeId?: string | undefined;
}

export interface PgHit {
  id: string;
  ordinal: number;
  score: number;
  record: IndexRecord;
}

export interface PgSearchResult {
  hits: PgHit[];
  matches: number;
  /** "exact" or "hnsw(ef=…)", with "→exact" when the index scan came back short. */
  plan: string;
}

/** A pushed index, searched in PostgreSQL with the file index's contract. */
export interface PgStore {
  manifest: IndexManifest;
  /** Facet → value → row count, for resolving filters (case and accents) the way the file index does. */
  facetValues: FacetValues;
  pgvector: string;
  /** A version-2 index's fitted transform: image queries embed through it (undefined for version 1). */
  transform: StoredTransform | undefined;
  search(vector: ArrayLike<number>, options: PgSearchOptions): Promise<PgSearchResult>;
  /** The stored (unit) vector and record of an artwork, for "more like this". */
  lookup(id: string): Promise<{ vector: Float32Array; record: IndexRecord; ordinal: number } | undefined>;
  /**
   * Artworks in index (ordinal) order from `offset`, among those the filter admits, and how many it admits:
   * the file index's browse contract (values matched exactly, an unknown field is a UsageError).
   */
  page(
    filter: Filter | undefined,
    offset: number,
    limit: number,
  ): Promise<{ total: number; records: IndexRecord[] }>;
  close(): Promise<void>;
}

/** Extra rows fetched past n, so a float rounding difference between PostgreSQL and mosaic never changes the top n. */
const SLACK = 10;

/**
 * Opens a table written by pushToPg. Every query comes back as the file index answers it: min(n, matches)
 * hits, scored with mosaic's own float32 dot product on the stored vectors, best first, ties by id.
 * `exact` scans the filter's rows (facet indexes narrow them; the HNSW index is not used); `hnsw` uses the HNSW
 * index, with pgvector ≥ 0.8's iterative scan for filters, and re-runs exactly if the scan comes back short;
 * `auto` picks per query with the same cost model as the in-memory engine.
 */
export async function openPgStore(
  sql: SqlPort,
  tableName: string,
  engine: EngineKind = "auto",
): Promise<PgStore> {
  if (engine === "balltree") {
    throw new UsageError("The ball tree engine works on a file index only", {
      hint: "Use --engine auto, exact or hnsw with a postgres:// index.",
    });
  }
  const t = pgTable(tableName);
  const pgvector = await requirePgvector(sql, false);
  const state = await readState(sql, t);
  if (state === undefined) {
    throw new UsageError(`${tableName} holds no mosaic index`, {
      hint: `Push one first: mosaic index push <dir> postgres://…?table=${t.base}`,
    });
  }
  const { manifest } = state;
  const facetValues = new Map<string, Map<string, { length: number }>>();
  for (const field of manifest.facets) {
    // Pushes record the counts; a table written otherwise is counted once here (the facet's btree index).
    const counts =
      state.facetCounts?.[field] ??
      Object.fromEntries(
        (
          await sql.query<{ v: string; n: string }>(
            `SELECT ${facetColumn(field)} AS v, count(*) AS n FROM ${t.table} WHERE ${facetColumn(field)} IS NOT NULL GROUP BY 1`,
          )
        ).map((r) => [r.v, Number(r.n)]),
      );
    facetValues.set(field, new Map(Object.entries(counts).map(([v, n]) => [v, { length: n }])));
  }
  const iterative = versionAtLeast(pgvector, "0.8.0");
  const { dim } = manifest;

  const where = (filter: Filter | undefined, excludeId: string | undefined, params: unknown[]): string => {
    const clauses: string[] = [];
    for (const [field, values] of Object.entries(filter ?? {})) {
      if (!manifest.facets.includes(field)) {
        const known = manifest.facets.length > 0 ? manifest.facets.join(", ") : "(none)";
        throw new UsageError(
          `Unknown filter field ${JSON.stringify(field)}; this index has facets: ${known}`,
          {
            hint: "Filter on one of those facets, or re-featurize with the field listed under facets.",
          },
        );
      }
      params.push([...new Set(values.map(facetKey))]);
      clauses.push(`${facetColumn(field)} = ANY($${params.length}::text[])`);
    }
    if (excludeId !== undefined) {
      params.push(excludeId);
      clauses.push(`id <> $${params.length}`);
    }
    return clauses.length > 0 ? `WHERE ${clauses.join(" AND ")}` : "";
  };

  const countMatches = async (filter: Filter | undefined, excludeId: string | undefined): Promise<number> => {
    if (Object.keys(filter ?? {}).length === 0) {
      const excluded = excludeId === undefined ? 0 : (await lookupRow(sql, t, excludeId)) ? 1 : 0;
      return manifest.count - excluded;
    }
    const params: unknown[] = [];
    const rows = await sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${t.table} ${where(filter, excludeId, params)}`,
      params,
    );
    return Number(rows[0]?.n ?? 0);
  };

  const fetch = async (
    tx: SqlQuery,
    q: Float32Array,
    options: PgSearchOptions,
    limit: number,
    exact: boolean,
  ): Promise<Row[]> => {
    const params: unknown[] = [vectorLiteral(q)];
    const w = where(options.filter, options.excludeId, params);
    params.push(limit);
    // The HNSW index serves only a bare `ORDER BY embedding <#> q`. The exact scan orders by an expression the
    // index cannot match (+ 0 changes no score), ties by id; PostgreSQL would otherwise still pick the index.
    const distance = `embedding <#> $1::vector(${dim})`;
    const order = exact ? `(${distance}) + 0, id` : distance;
    return tx.query<Row>(
      `SELECT id, ordinal, image, facets, metadata, embedding::text AS embedding FROM ${t.table} ${w} ORDER BY ${order} LIMIT $${params.length}`,
      params,
    );
  };

  const transform = await readTransform(sql, t, manifest);
  return {
    manifest,
    facetValues,
    pgvector,
    transform,
    async search(vector, options) {
      const { n } = options;
      if (!Number.isInteger(n) || n < 0) {
        throw new UsageError(`Invalid result count ${n}`, { hint: "n must be a non-negative integer." });
      }
      if (vector.length !== dim) {
        throw new UsageError(`Query vector has ${vector.length} dimensions; the index has ${dim}`, {
          hint: `Embed the query with the index's model (${manifest.model.id}).`,
        });
      }
      if (firstNonFinite(vector) >= 0) {
        throw new UsageError("Query vector contains NaN or Infinity", {
          hint: "Check the query image and model.",
        });
      }
      const matches = await countMatches(options.filter, options.excludeId);
      const want = Math.min(n, matches);
      if (want === 0) return { hits: [], matches, plan: "none" };
      const q = toUnitFloat32(vector);
      const limit = want + SLACK;
      const useGraph =
        engine === "hnsw" || (engine === "auto" && !scanIsCheaper(want, manifest.count, matches));
      let plan = "exact";
      const rows = await sql.transaction(async (tx) => {
        if (!useGraph) return fetch(tx, q, options, limit, true);
        const ef = Math.min(1000, Math.max(40, limit * 2));
        plan = `hnsw(ef=${ef})`;
        await tx.query(`SET LOCAL hnsw.ef_search = ${ef}`);
        if (iterative) await tx.query("SET LOCAL hnsw.iterative_scan = relaxed_order");
        const found = await fetch(tx, q, options, limit, false);
        if (found.length >= Math.min(limit, matches)) return found;
        plan += "→exact";
        return fetch(tx, q, options, limit, true);
      });
      const hits = rows
        .map((r) => ({
          id: r.id,
          ordinal: r.ordinal,
          score: dot(q, 0, parseVector(r.embedding), 0, dim),
          record: toRecord(r),
        }))
        .sort((a, b) => b.score - a.score || compareStrings(a.id, b.id))
        .slice(0, want);
      return { hits, matches, plan };
    },
    async lookup(id) {
      const r = await lookupRow(sql, t, id);
      return r === undefined
        ? undefined
        : { vector: parseVector(r.embedding), record: toRecord(r), ordinal: r.ordinal };
    },
    async page(filter, offset, limit) {
      const total = await countMatches(filter, undefined);
      if (limit === 0 || offset >= total) return { total, records: [] };
      const params: unknown[] = [];
      const w = where(filter, undefined, params);
      params.push(offset, limit);
      const rows = await sql.query<Row>(
        `SELECT id, ordinal, image, facets, metadata FROM ${t.table} ${w} ORDER BY ordinal OFFSET $${params.length - 1} LIMIT $${params.length}`,
        params,
      );
      return { total, records: rows.map(toRecord) };
    },
    close: () => sql.close(),
  };
}

interface Row {
  id: string;
  ordinal: number;
  image: string;
  facets: Record<string, string>;
  metadata: Record<string, string>;
  embedding: string;
}

const toRecord = (r: Row): IndexRecord => ({ id: r.id, image: r.image, facets: r.facets, meta: r.metadata });

async function lookupRow(sql: SqlQuery, t: PgTable, id: string): Promise<Row | undefined> {
  const rows = await sql.query<Row>(
    `SELECT id, ordinal, image, facets, metadata, embedding::text AS embedding FROM ${t.table} WHERE id = $1`,
    [id],
  );
  return rows[0];
}
