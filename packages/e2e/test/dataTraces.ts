import type { DataSource } from 'typeorm';

/**
 * Tables that keep rows about a deleted user or tenant on purpose: the connection rows (without personal data) and
 * their audit trail, and the deletion requests with their receipts (docs/deletion.md#what-stays).
 */
export const AUDIT_TABLES = ['connections', 'audit_events', 'deletion_requests'];

/** Every table of the schema, from the catalog, so a table added later is checked without changing the test. */
export async function allTables(
  db: DataSource,
): Promise<Array<{ table: string; connectionColumn: boolean }>> {
  return (await db.query(
    `SELECT c.relname AS table,
            EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'connection_id'
                      AND NOT a.attisdropped) AS "connectionColumn"
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'typeorm_migrations'
      ORDER BY 1`,
  )) as Array<{ table: string; connectionColumn: boolean }>;
}

/**
 * What is left of `connectionIds` and of the personal values (e-mail addresses, provider account ids) in every
 * table: rows keyed to the connections outside the audit tables, and rows anywhere whose text holds a value.
 */
export async function dataTraces(
  db: DataSource,
  connectionIds: string[],
  personal: string[],
): Promise<Record<string, number>> {
  const traces: Record<string, number> = {};
  for (const { table, connectionColumn } of await allTables(db)) {
    if (connectionColumn && !AUDIT_TABLES.includes(table)) {
      const [{ n }] = (await db.query(
        `SELECT count(*)::int AS n FROM "${table}" WHERE connection_id = ANY($1::uuid[])`,
        [connectionIds],
      )) as [{ n: number }];
      if (n > 0) traces[`${table}.connection_id`] = n;
    }
    const [{ n }] = (await db.query(
      `SELECT count(*)::int AS n FROM "${table}" t WHERE EXISTS (
         SELECT 1 FROM unnest($1::text[]) v WHERE strpos(lower(row_to_json(t)::text), lower(v)) > 0)`,
      [personal],
    )) as [{ n: number }];
    if (n > 0) traces[`${table}.personal`] = n;
  }
  return traces;
}
