import { UsageError } from "../errors.js";
import { redact } from "../redact.js";

/** A table in a PostgreSQL database, as named by `postgres://user:pass@host:port/db?table=artworks`. */
export interface PgLocation {
  /** The URL without mosaic's own parameters, for the `pg` client (PG* env fills what it leaves out). */
  connectionString: string;
  /** Schema-qualified or plain table name, validated as lower-case identifiers. */
  table: string;
  /** The location with the password blanked: the only form that may reach output or logs. */
  display: string;
  /** Values to blank wherever they appear (the URL's password, PGPASSWORD). */
  secrets: string[];
  /** Connections the pool may open (`?pool=N`, default 4). */
  poolSize: number;
}

const IDENT = /^[a-z_][a-z0-9_]{0,50}$/;
const DEFAULT_TABLE = "artworks";

export function isPgLocation(location: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(location);
}

/**
 * Parses a pgvector index location. The table comes from `?table=` (default "artworks"); every other
 * query parameter (sslmode, application_name, …) is left for the `pg` client. Credentials come from the
 * URL or the standard PG* variables (PGUSER, PGPASSWORD, PGHOST, PGPORT, PGDATABASE, PGSSLMODE).
 */
export function parsePgLocation(location: string, env: Record<string, string | undefined> = {}): PgLocation {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    throw new UsageError(`${redact(location)} is not a valid postgres:// URL`, {
      hint: "Use postgres://user@host:5432/database?table=artworks (password in PGPASSWORD or the URL).",
    });
  }
  if (!isPgLocation(location)) {
    throw new UsageError(`${redact(location)} is not a postgres:// URL`);
  }
  const table = url.searchParams.get("table") ?? DEFAULT_TABLE;
  const parts = table.split(".");
  if (parts.length > 2 || !parts.every((p) => IDENT.test(p))) {
    throw new UsageError(`Invalid table name ${JSON.stringify(table)} in ${redact(location)}`, {
      hint: "Use lower-case letters, digits and _ (optionally schema.table), e.g. ?table=artworks.",
    });
  }
  const pool = url.searchParams.get("pool");
  const poolSize = pool === null ? 4 : Number(pool);
  if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 64) {
    throw new UsageError(`Invalid pool size ${JSON.stringify(pool)} in ${redact(location)}`, {
      hint: "?pool= takes a whole number of connections from 1 to 64.",
    });
  }
  url.searchParams.delete("table");
  url.searchParams.delete("pool");
  const password = url.password === "" ? undefined : decodeURIComponent(url.password);
  const secrets = [password, env.PGPASSWORD].filter((s): s is string => s !== undefined && s !== "");
  const display = redact(location, secrets);
  return { connectionString: withEnvDefaults(url, env), table, display, secrets, poolSize };
}

/**
 * The URL with what it leaves out filled from the command's PG* variables (the URL wins where both say).
 * Done here rather than left to `pg`, which would read the process's environment instead of the command's.
 */
function withEnvDefaults(url: URL, env: Record<string, string | undefined>): string {
  const enc = encodeURIComponent;
  const user = url.username !== "" ? url.username : env.PGUSER ? enc(env.PGUSER) : "";
  const password = url.password !== "" ? url.password : env.PGPASSWORD ? enc(env.PGPASSWORD) : "";
  const host = url.hostname !== "" ? url.hostname : (env.PGHOST ?? "");
  const port = url.port !== "" ? url.port : (env.PGPORT ?? "");
  const path = url.pathname.replace(/^\//, "");
  const database = path !== "" ? path : env.PGDATABASE ? enc(env.PGDATABASE) : "";
  const auth = user === "" && password === "" ? "" : `${user}${password === "" ? "" : `:${password}`}@`;
  const search = url.searchParams.toString();
  return `${url.protocol}//${auth}${host}${port === "" ? "" : `:${port}`}/${database}${search === "" ? "" : `?${search}`}`;
}
