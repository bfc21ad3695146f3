import pg from "pg";
import { ExternalError } from "../errors.js";
import { redact } from "../redact.js";
import type { PgLocation } from "./pg-location.js";
import type { SqlPort, SqlQuery } from "./sql-port.js";

/**
 * A `pg` pool behind the SqlPort. `pg` fills what the URL leaves out from PG* variables (PGHOST, PGUSER,
 * PGPASSWORD, …). Every error is re-thrown as an ExternalError with credentials blanked.
 */
export function connectPg(location: PgLocation): SqlPort {
  const pool = new pg.Pool({ connectionString: location.connectionString, max: location.poolSize });
  // An idle client that loses its connection must not crash the process; the next query reports it.
  pool.on("error", () => {});
  const fail = (error: unknown): never => {
    const message = redact((error as Error).message ?? String(error), location.secrets);
    throw new ExternalError(`PostgreSQL (${location.display}): ${message}`, {
      hint: "Check the URL, that the server is reachable and the credentials (URL or PGUSER/PGPASSWORD).",
    });
  };
  const run = (client: pg.Pool | pg.PoolClient): SqlQuery => ({
    query: async <R>(text: string, values?: unknown[]) => {
      try {
        return (await client.query(text, values)).rows as R[];
      } catch (error) {
        return fail(error);
      }
    },
  });
  return {
    ...run(pool),
    async transaction(work) {
      const client = await pool.connect().catch(fail);
      try {
        await client.query("BEGIN");
        const out = await work(run(client));
        await client.query("COMMIT");
        return out;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
