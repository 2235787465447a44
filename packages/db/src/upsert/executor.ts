/**
 * Anything that runs SQL on a TypeORM connection: a DataSource, an EntityManager (including the one a
 * transaction hands out) or a QueryRunner. Helpers take this so sync code can write rows and advance its
 * cursor in one transaction.
 */
export interface SqlExecutor {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** Rows of a SELECT (our helpers always end in one, so every executor returns plain rows). */
export async function selectRows<T>(executor: SqlExecutor, sql: string, parameters: unknown[]): Promise<T[]> {
  const rows = await executor.query(sql, parameters);
  if (!Array.isArray(rows)) throw new Error('expected rows from a SELECT; is this a TypeORM executor?');
  return rows as T[];
}
