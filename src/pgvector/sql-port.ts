/** The slice of a PostgreSQL client the pgvector store needs; connect-pg.ts adapts `pg`, tests may too. */
export interface SqlQuery {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
}

export interface SqlPort extends SqlQuery {
  /** Runs `work` on one connection between BEGIN and COMMIT; ROLLBACK when it throws. */
  transaction<T>(work: (tx: SqlQuery) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
