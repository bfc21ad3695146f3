import path from "node:path";
import type { Context } from "./context.js";
import { loadIndex } from "../vector-index/load-index.js";
import { connectPg } from "../pgvector/connect-pg.js";
import { parsePgLocation } from "../pgvector/pg-location.js";
import { type PgPushResult, pushToPg } from "../pgvector/push-to-pg.js";

export interface PgPushSummary extends PgPushResult {
  /** The target with credentials blanked. */
  location: string;
}

/** Least time between two progress lines; the first and the last always print. */
const PROGRESS_EVERY_MS = 2000;

/**
 * `mosaic index push <dir> postgres://…?table=…`: load the local index and upsert it into the table in
 * batches, telling the reporter how far it got; a killed push resumes after its last committed batch.
 */
export async function runPgPush(
  ctx: Context,
  dir: string,
  url: string,
  now: () => number = Date.now,
): Promise<PgPushSummary> {
  const location = parsePgLocation(url, ctx.io.env);
  const local = path.resolve(ctx.cwd, dir);
  const { reporter } = ctx;
  const index = await reporter.step("Loading index", () => loadIndex(local));
  const sql = connectPg(location);
  let last = Number.NEGATIVE_INFINITY;
  try {
    const result = await pushToPg(index, sql, location.table, {
      signal: ctx.signal,
      onProgress: (done, total) => {
        const t = now();
        if (done < total && done > 0 && t - last < PROGRESS_EVERY_MS) return;
        last = t;
        const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
        reporter.note(`${location.display}: ${done} of ${total} rows (${pct}%)`);
      },
      onStep: (what) => reporter.note(`${location.display}: ${what}`),
    });
    return { ...result, location: location.display };
  } finally {
    await sql.close();
  }
}
