import { MosaicError } from "../errors.js";
import type { PgState, PgTable } from "./pg-schema.js";
import type { SqlQuery } from "./sql-port.js";

const STATE_KEY = "index";

export async function readState(sql: SqlQuery, t: PgTable): Promise<PgState | undefined> {
  const exists = await sql.query<{ r: string | null }>("SELECT to_regclass($1) AS r", [t.state]);
  if (exists[0]?.r == null) return undefined;
  const rows = await sql.query<{ value: PgState }>(`SELECT value FROM ${t.state} WHERE key = $1`, [
    STATE_KEY,
  ]);
  const v = rows[0]?.value;
  return v?.format === "mosaic-pgvector" && v.version === 1 ? v : undefined;
}

export async function writeState(sql: SqlQuery, t: PgTable, state: PgState): Promise<void> {
  await sql.query(
    `INSERT INTO ${t.state} (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [STATE_KEY, JSON.stringify(state)],
  );
}

/** The dimension of an existing table's vector column (pgvector keeps it in atttypmod), if the table exists. */
export async function tableDim(sql: SqlQuery, t: PgTable): Promise<number | undefined> {
  // Two steps: PGlite's WASM backend aborts on a pg_attribute join against a NULL regclass.
  const rel = await sql.query<{ oid: string | null }>("SELECT to_regclass($1)::oid AS oid", [t.table]);
  const oid = rel[0]?.oid;
  if (oid == null) return undefined;
  const rows = await sql.query<{ d: number }>(
    "SELECT atttypmod AS d FROM pg_attribute WHERE attrelid = $1::oid AND attname = 'embedding'",
    [oid],
  );
  return rows[0]?.d;
}

/**
 * The installed pgvector version, creating the extension when `create` (needs the CREATE privilege on the
 * database; managed services allow-list it first). HNSW needs 0.5.0; filtered queries use the iterative
 * index scans of 0.8.0 where available.
 */
export async function requirePgvector(sql: SqlQuery, create: boolean): Promise<string> {
  if (create) {
    try {
      await sql.query("CREATE EXTENSION IF NOT EXISTS vector");
    } catch (error) {
      throw new MosaicError(`Cannot enable the pgvector extension: ${(error as Error).message}`, {
        hint: "Ask the database owner to run CREATE EXTENSION vector (on Azure: allow-list VECTOR in azure.extensions first).",
        cause: error,
      });
    }
  }
  const rows = await sql.query<{ v: string }>(
    "SELECT extversion AS v FROM pg_extension WHERE extname = 'vector'",
  );
  const v = rows[0]?.v;
  if (v === undefined) {
    throw new MosaicError("The pgvector extension is not installed in this database", {
      hint: "Push an index first (`mosaic index push <dir> postgres://…`), which creates it.",
    });
  }
  if (versionAtLeast(v, "0.5.0")) return v;
  throw new MosaicError(
    `pgvector ${v} has no HNSW index; mosaic needs 0.5.0 or later (0.8.0 for iterative scans)`,
    {
      hint: "ALTER EXTENSION vector UPDATE, or upgrade the server's pgvector package.",
    },
  );
}

export function versionAtLeast(v: string, min: string): boolean {
  const a = v.split(".").map(Number);
  const b = min.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}
