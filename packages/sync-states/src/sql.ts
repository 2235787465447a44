import type { SqlExecutor } from '@crm-sync/db';

/** The row of one resource of one connection: `$1` is the connection id, `$2` the resource. */
export const WHERE_RESOURCE = `WHERE connection_id = $1 AND resource = $2`;

export async function rows<T>(db: SqlExecutor, sql: string, parameters: unknown[]): Promise<T[]> {
  return (await db.query(sql, parameters)) as T[];
}

// last_error and disabled_reason are built from error kinds and provider codes only (adapters never put a
// token in a reason); they are still capped so a verbose provider message cannot bloat the row.
const MAX_REASON_LENGTH = 500;
export const clip = (text: string) =>
  text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text;
