import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite/vector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface PgliteServer {
  /** postgres:// URL of the server, with a password so redaction can be checked. */
  url: string;
  password: string;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL 17 with pgvector 0.8.0 (PGlite, WASM), served over the wire protocol on 127.0.0.1 at
 * a free port. PGlite is one backend: it runs one query at a time and queues the others, so clients should
 * use one connection (`?pool=1`). It accepts any password.
 */
export async function startPgliteServer(): Promise<PgliteServer> {
  const db = await PGlite.create({ extensions: { vector } });
  // More than one connection: a CLI run's closing socket is released a tick after the next run connects,
  // and with one slot that next run would be refused ("Connection terminated unexpectedly").
  const server = new PGLiteSocketServer({ db, port: 0, host: "127.0.0.1", maxConnections: 8 });
  await server.start();
  const conn = server.getServerConn();
  const port = Number(conn.slice(conn.lastIndexOf(":") + 1));
  const password = "pglite-test-secret";
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    password,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
