import { createHash } from "node:crypto";
import { MosaicError } from "../errors.js";
import { TRANSFORM_FILE, transformParamCount } from "../vector-index/format.js";
import type { IndexManifest, StoredTransform } from "../vector-index/types.js";
import type { PgState, PgTable } from "./pg-schema.js";
import type { SqlQuery } from "./sql-port.js";

const STATE_KEY = "index";
/** A version-2 index's transform parameters (transform.f32), base64 of little-endian float32. */
const TRANSFORM_KEY = "transform";

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

/** Stores transform.f32 beside the manifest, so image queries on the table embed as the index did. */
export async function writeTransform(sql: SqlQuery, t: PgTable, params: Float32Array): Promise<void> {
  const bytes = Buffer.from(params.buffer, params.byteOffset, params.byteLength);
  await sql.query(
    `INSERT INTO ${t.state} (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [TRANSFORM_KEY, JSON.stringify({ params: bytes.toString("base64") })],
  );
}

/**
 * The transform parameters the manifest's header describes, checked against the manifest's checksum of
 * transform.f32; undefined for a version-1 index or a table pushed before transforms were stored.
 */
export async function readTransform(
  sql: SqlQuery,
  t: PgTable,
  manifest: IndexManifest,
): Promise<StoredTransform | undefined> {
  const header = manifest.transform;
  if (!header) return undefined;
  const rows = await sql.query<{ value: { params?: unknown } }>(
    `SELECT value FROM ${t.state} WHERE key = $1`,
    [TRANSFORM_KEY],
  );
  const encoded = rows[0]?.value?.params;
  if (typeof encoded !== "string") return undefined;
  const bytes = Buffer.from(encoded, "base64");
  if (bytes.byteLength !== transformParamCount(header) * 4) {
    throw new MosaicError(`The transform stored in ${t.state} has the wrong size for its header`, {
      hint: "Push the index again (mosaic index push <dir> postgres://…).",
    });
  }
  const expected = manifest.files[TRANSFORM_FILE]?.sha256;
  if (expected !== undefined && createHash("sha256").update(bytes).digest("hex") !== expected) {
    throw new MosaicError(`The transform stored in ${t.state} does not match the pushed index's checksum`, {
      hint: "Push the index again (mosaic index push <dir> postgres://…).",
    });
  }
  const params = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(params.buffer).set(bytes);
  return { header, params };
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
