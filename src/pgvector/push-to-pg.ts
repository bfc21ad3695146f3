import { MosaicError, throwIfAborted, UsageError } from "../errors.js";
import type { VectorIndex } from "../vector-index/types.js";
import { facetKey } from "./facet-key.js";
import {
  createTableSql,
  facetColumnSql,
  type HnswParams,
  hnswIndexSql,
  type PgState,
  pgTable,
  pushIdOf,
  upsertSql,
  vectorLiteral,
} from "./pg-schema.js";
import { readState, requirePgvector, tableDim, writeState, writeTransform } from "./pg-state.js";
import type { SqlPort } from "./sql-port.js";

export interface PushToPgOptions {
  /** Rows per upsert statement (and per transaction). Default 500. */
  batchSize?: number;
  hnsw?: Partial<HnswParams>;
  signal?: AbortSignal | undefined;
  /** After every committed batch, and once at the start with the rows already there. */
  onProgress?: (done: number, total: number) => void;
  /** Told when a slow step (the HNSW build) starts. */
  onStep?: (what: string) => void;
}

export interface PgPushResult {
  table: string;
  rows: number;
  /** Rows written now; the rest were committed by an earlier, interrupted push of the same index. */
  written: number;
  resumedAt: number;
  /** Rows of an older index version removed from the table. */
  removed: number;
  /** The table already held exactly this index. */
  unchanged: boolean;
  pgvector: string;
}

/**
 * Pushes `index` into `table`: creates it (facets as indexed columns, metadata jsonb, a vector column),
 * upserts rows by id in batches — each batch and the progress it records commit together, so a killed
 * push resumes after the last committed batch — then removes rows an older version left behind, builds
 * the HNSW index (vector_ip_ops) and marks the push complete. Vectors go in exactly as stored.
 */
export async function pushToPg(
  index: VectorIndex,
  sql: SqlPort,
  tableName: string,
  options: PushToPgOptions = {},
): Promise<PgPushResult> {
  const { signal } = options;
  const batchSize = options.batchSize ?? 500;
  const hnsw: HnswParams = { m: options.hnsw?.m ?? 16, efConstruction: options.hnsw?.efConstruction ?? 64 };
  const t = pgTable(tableName);
  const pgvector = await requirePgvector(sql, true);
  const { manifest, dim, count, records, vectors } = index;
  if (dim > 2000) {
    throw new UsageError(`pgvector's HNSW index takes at most 2,000 dimensions; this index has ${dim}`, {
      hint: "Use a model with fewer dimensions for a pgvector store (the default model's are 320 or fewer).",
    });
  }
  const existingDim = await tableDim(sql, t);
  if (existingDim !== undefined && existingDim !== dim) {
    throw new UsageError(`${tableName} holds ${existingDim}-d vectors; this index has ${dim}-d ones`, {
      hint: `Push to another table (?table=${t.base}_${dim}) or drop ${tableName} first.`,
    });
  }
  for (const s of createTableSql(t, dim)) await sql.query(s);
  for (const f of manifest.facets) for (const s of facetColumnSql(t, f)) await sql.query(s);
  const state = await readState(sql, t);
  if (state !== undefined && state.manifest.model.id !== manifest.model.id) {
    throw new UsageError(
      `${tableName} holds vectors of model ${state.manifest.model.id}; this index was built with ${manifest.model.id}`,
      {
        hint: `Scores across models are meaningless: push to another table (?table=${t.base}_v2) or drop ${tableName}.`,
      },
    );
  }
  const id = pushIdOf(manifest);
  const result: PgPushResult = {
    table: tableName,
    rows: count,
    written: 0,
    resumedAt: 0,
    removed: 0,
    unchanged: false,
    pgvector,
  };
  if (state?.push.id === id && state.push.complete) {
    await sql.query(hnswIndexSql(t, hnsw));
    // A table pushed before transforms were stored gets it now, without rewriting a row.
    if (index.transform) await writeTransform(sql, t, index.transform.params);
    options.onProgress?.(count, count);
    return { ...result, unchanged: true };
  }
  const start = state?.push.id === id ? Math.min(state.push.done, count) : 0;
  result.resumedAt = start;
  // A reader keeps the previous complete manifest until this push completes (same model, checked above).
  const base: PgState = {
    format: "mosaic-pgvector",
    version: 1,
    manifest: state?.push.complete ? state.manifest : manifest,
    push: { id, done: start, total: count, complete: false },
  };
  await writeState(sql, t, base);
  options.onProgress?.(start, count);
  const upsert = upsertSql(t, dim, manifest.facets);
  for (let from = start; from < count; from += batchSize) {
    throwIfAborted(signal);
    const to = Math.min(count, from + batchSize);
    const cols: unknown[][] = [[], [], [], [], [], [], [], ...manifest.facets.map(() => [])];
    for (let o = from; o < to; o++) {
      const r = records[o]!;
      cols[0]!.push(r.id);
      cols[1]!.push(o);
      cols[2]!.push(r.image);
      cols[3]!.push(JSON.stringify(r.facets));
      cols[4]!.push(JSON.stringify(r.meta));
      cols[5]!.push(vectorLiteral(vectors, o * dim, dim));
      cols[6]!.push(id);
      manifest.facets.forEach((f, i) => {
        const v = r.facets[f] ?? "";
        cols[7 + i]!.push(v === "" ? null : facetKey(v));
      });
    }
    await sql.transaction(async (tx) => {
      await tx.query(upsert, cols);
      await writeState(tx, t, { ...base, push: { ...base.push, done: to } });
    });
    result.written += to - from;
    options.onProgress?.(to, count);
  }
  throwIfAborted(signal);
  const removed = await sql.query<{ n: string }>(
    `WITH gone AS (DELETE FROM ${t.table} WHERE push_id <> $1 RETURNING 1) SELECT count(*) AS n FROM gone`,
    [id],
  );
  result.removed = Number(removed[0]?.n ?? 0);
  options.onStep?.("Building the HNSW index");
  await sql.query(hnswIndexSql(t, hnsw));
  await sql.query(`ANALYZE ${t.table}`);
  const facetCounts: PgState["facetCounts"] = {};
  for (const [field, values] of index.postings) {
    facetCounts[field] = Object.fromEntries([...values].map(([v, ords]) => [v, ords.length]));
  }
  // Image queries embed through the index's fitted transform: it travels with the manifest that names it.
  await sql.transaction(async (tx) => {
    if (index.transform) await writeTransform(tx, t, index.transform.params);
    await writeState(tx, t, {
      ...base,
      manifest,
      facetCounts,
      push: { ...base.push, done: count, complete: true },
    });
  });
  const rows = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${t.table}`);
  if (Number(rows[0]?.n) !== count) {
    throw new MosaicError(`${tableName} has ${rows[0]?.n} rows after the push; the index has ${count}`, {
      hint: "Another writer changed the table during the push; run the push again.",
    });
  }
  return result;
}
