import type { Resource } from '@crm-sync/core';
import {
  upsertRows,
  upsertRowsReporting,
  type SqlExecutor,
  type UpsertCounts,
  type UpsertSpec,
} from '@crm-sync/db';

/** One resource's items of one connection: where quarantined items are filed. */
export interface QuarantinePlace {
  connectionId: string;
  resource: Resource;
}

/**
 * SQLSTATE classes that mean "this row's data", not "this database": data exceptions (22), integrity violations
 * (23) and program limits such as an index row too large (54)
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html). Anything else fails the page as before.
 */
const ROW_DATA_CLASSES = ['22', '23', '54'];

function rowDataCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ROW_DATA_CLASSES.includes(code.slice(0, 2)) ? code : undefined;
}

/**
 * Upserts the rows in the caller's transaction; if the database refuses them for their data, upserts them one by
 * one instead and sets aside in `sync_quarantine` each row it still refuses, so the rest of the page, and the
 * round, go on. Savepoints keep a refused row from aborting the transaction. Rows stored clear their earlier
 * quarantine entry. With `report`, `written` holds the external ids of the rows written with content (the spec's
 * `report` values); otherwise it is empty.
 */
export async function upsertOrQuarantine<Row extends { externalId: string }>(
  executor: SqlExecutor,
  spec: UpsertSpec<Row>,
  rows: readonly Row[],
  place: QuarantinePlace,
  report = false,
): Promise<{ counts: UpsertCounts; quarantined: number; written: string[] }> {
  const upsert = (some: readonly Row[]) =>
    report ? upsertRowsReporting(executor, spec, some) : upsertRows(executor, spec, some);
  const all = await attempt(executor, 'page_rows', () => upsert(rows));
  if (all.ok) {
    await release(executor, place, rows);
    const { inserted, updated, unchanged } = all.value;
    return { counts: { inserted, updated, unchanged }, quarantined: 0, written: writtenOf(all.value) };
  }
  const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  const written: string[] = [];
  const stored: Row[] = [];
  let quarantined = 0;
  for (const row of rows) {
    const one = await attempt(executor, 'page_row', () => upsert([row]));
    if (one.ok) {
      counts.inserted += one.value.inserted;
      counts.updated += one.value.updated;
      counts.unchanged += one.value.unchanged;
      written.push(...writtenOf(one.value));
      stored.push(row);
    } else {
      await quarantine(executor, place, row.externalId, `database error ${one.code}`);
      quarantined += 1;
    }
  }
  await release(executor, place, stored);
  return { counts, quarantined, written };
}

const writtenOf = (result: UpsertCounts & { written?: string[] }) => result.written ?? [];

async function attempt<T>(
  executor: SqlExecutor,
  savepoint: string,
  work: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; code: string }> {
  await executor.query(`SAVEPOINT ${savepoint}`);
  try {
    const value = await work();
    await executor.query(`RELEASE SAVEPOINT ${savepoint}`);
    return { ok: true, value };
  } catch (error) {
    const code = rowDataCode(error);
    if (code === undefined) throw error;
    await executor.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
    return { ok: false, code };
  }
}

/**
 * Files an item that cannot be stored, or counts another attempt at it. The reason names what went wrong (an error
 * code, "unsafe external id"), never the item's content.
 */
export async function quarantine(
  executor: SqlExecutor,
  place: QuarantinePlace,
  externalId: string,
  reason: string,
): Promise<void> {
  await executor.query(
    `INSERT INTO sync_quarantine (connection_id, resource, external_id, reason) VALUES ($1, $2, $3, $4)
     ON CONFLICT (connection_id, resource, external_id) DO UPDATE
       SET reason = EXCLUDED.reason, attempts = sync_quarantine.attempts + 1, last_seen_at = now()`,
    [place.connectionId, place.resource, externalId, reason],
  );
}

/** Items stored after all (fixed at the provider, or by a newer version of this code) leave the quarantine. */
async function release(
  executor: SqlExecutor,
  place: QuarantinePlace,
  rows: readonly { externalId: string }[],
) {
  if (rows.length === 0) return;
  await executor.query(
    `DELETE FROM sync_quarantine WHERE connection_id = $1 AND resource = $2 AND external_id = ANY($3::text[])`,
    [place.connectionId, place.resource, rows.map((r) => r.externalId)],
  );
}
