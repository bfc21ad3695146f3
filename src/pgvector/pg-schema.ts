import { createHash } from "node:crypto";
import type { IndexManifest } from "../vector-index/types.js";

/** The pgvector table layout: one row per artwork, facets as indexed columns, a sidecar row of state. */
export interface PgTable {
  /** Quoted, possibly schema-qualified table name. */
  table: string;
  /** `<table>_mosaic`: one row holding the pushed index's manifest and the push's progress. */
  state: string;
  /** Index names are derived from the table's own (unqualified) name. */
  base: string;
}

/** Facet columns carry a prefix so a facet called "id" or "image" cannot collide with a fixed column. */
export const facetColumn = (facet: string) => `"facet_${facet}"`;

/** Names are validated as lower-case identifiers before they get here (parsePgLocation), so quoting is enough. */
export function pgTable(name: string): PgTable {
  const parts = name.split(".");
  const base = parts.at(-1)!;
  const quote = (p: string[]) => p.map((s) => `"${s}"`).join(".");
  return { table: quote(parts), state: quote([...parts.slice(0, -1), `${base}_mosaic`]), base };
}

/** HNSW build parameters; pgvector's defaults (m 16, ef_construction 64). */
export interface HnswParams {
  m: number;
  efConstruction: number;
}

export function createTableSql(t: PgTable, dim: number): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${t.table} (
      id text PRIMARY KEY,
      ordinal integer NOT NULL,
      image text NOT NULL,
      facets jsonb NOT NULL,
      metadata jsonb NOT NULL,
      embedding vector(${dim}) NOT NULL,
      push_id text NOT NULL
    )`,
    // serve's /v1/artworks pages in index order.
    `CREATE INDEX IF NOT EXISTS "${t.base}_ordinal_idx" ON ${t.table} (ordinal)`,
    `CREATE TABLE IF NOT EXISTS ${t.state} (key text PRIMARY KEY, value jsonb NOT NULL)`,
  ];
}

export function facetColumnSql(t: PgTable, facet: string): string[] {
  return [
    `ALTER TABLE ${t.table} ADD COLUMN IF NOT EXISTS ${facetColumn(facet)} text`,
    `CREATE INDEX IF NOT EXISTS "${t.base}_facet_${facet}_idx" ON ${t.table} (${facetColumn(facet)})`,
  ];
}

/** Inner product on unit vectors is cosine: `vector_ip_ops` serves `ORDER BY embedding <#> $q`. */
export function hnswIndexSql(t: PgTable, p: HnswParams): string {
  return `CREATE INDEX IF NOT EXISTS "${t.base}_embedding_hnsw" ON ${t.table} USING hnsw (embedding vector_ip_ops) WITH (m = ${p.m}, ef_construction = ${p.efConstruction})`;
}

/**
 * One statement per batch: parallel arrays unnested into rows, upserted by id. Arrays keep the parameter
 * count fixed (7 + facets) whatever the batch size.
 */
export function upsertSql(t: PgTable, dim: number, facets: readonly string[]): string {
  const cols = [
    "id",
    "ordinal",
    "image",
    "facets",
    "metadata",
    "embedding",
    "push_id",
    ...facets.map(facetColumn),
  ];
  const types = [
    "text[]",
    "int4[]",
    "text[]",
    "jsonb[]",
    "jsonb[]",
    "text[]",
    "text[]",
    ...facets.map(() => "text[]"),
  ];
  const params = types.map((ty, i) => `$${i + 1}::${ty}`).join(", ");
  const select = cols.map((c, i) => (c === "embedding" ? `u${i}::vector(${dim})` : `u${i}`)).join(", ");
  const names = cols.map((_, i) => `u${i}`).join(", ");
  const update = cols
    .filter((c) => c !== "id")
    .map((c) => `${c} = EXCLUDED.${c}`)
    .join(", ");
  return `INSERT INTO ${t.table} (${cols.join(", ")}) SELECT ${select} FROM unnest(${params}) AS u(${names}) ON CONFLICT (id) DO UPDATE SET ${update}`;
}

/** What the state row holds. */
export interface PgState {
  format: "mosaic-pgvector";
  version: 1;
  manifest: IndexManifest;
  push: { id: string; done: number; total: number; complete: boolean };
  /** Facet → value → rows holding it, of the manifest's index: filters resolve against it without a scan. */
  facetCounts?: Record<string, Record<string, number>>;
}

/** Identifies the content being pushed: the same index re-pushed resumes; another one starts over. */
export function pushIdOf(manifest: IndexManifest): string {
  const files = Object.entries(manifest.files)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, f]) => `${name}:${f.sha256}`);
  return createHash("sha256")
    .update(JSON.stringify([manifest.model.id, manifest.count, manifest.facets, files]))
    .digest("hex")
    .slice(0, 24);
}

/** pgvector's text form of a vector. Shortest round-trip digits, so float32 values arrive bit-exact. */
export function vectorLiteral(v: Float32Array, from = 0, dim = v.length): string {
  let s = "[";
  for (let d = 0; d < dim; d++) s += (d > 0 ? "," : "") + String(v[from + d]);
  return `${s}]`;
}

/** Parses pgvector's text output back to float32. */
export function parseVector(text: string): Float32Array {
  const body = text.trim().replace(/^\[/, "").replace(/\]$/, "");
  return body === "" ? new Float32Array(0) : Float32Array.from(body.split(","), Number);
}
