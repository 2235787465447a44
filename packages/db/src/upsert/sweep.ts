import type { ListedWindow } from '@crm-sync/core';
import { selectRows, type SqlExecutor } from './executor';
import { CRM_TABLES, type CrmTable } from './markDeleted';

/**
 * The date column a windowed full round is bounded by, per table: mail by when it was sent (Gmail's `after:` and
 * Graph's receivedDateTime filter list every message sent inside the window, since a message is received after it
 * is sent), calendar events by their start (an event starting inside the window overlaps it). Tables without one
 * are always listed whole.
 */
const WINDOW_COLUMNS: Partial<Record<CrmTable, string>> = { emails: 'sent_at', calendar_events: 'starts_at' };

/**
 * The conditions that keep a table's rows to those dated inside a listed window (a row without a date is outside
 * every window); bounds are pushed onto `parameters`.
 */
export function windowConditions(table: CrmTable, window: ListedWindow, parameters: unknown[]): string[] {
  const column = WINDOW_COLUMNS[table];
  if (!column) throw new Error(`${table} has no window column`);
  const conditions = [`${column} IS NOT NULL`];
  if (window.after) conditions.push(`${column} > $${parameters.push(window.after)}`);
  if (window.before) conditions.push(`${column} < $${parameters.push(window.before)}`);
  return conditions;
}

export interface SweepScope {
  connectionId: string;
  /** The generation of the full round that just completed; rows it listed carry it in `seen_round`. */
  generation: number;
  /** Required for crm_objects, whose ids are unique per object type only. */
  objectType?: string;
  /** Absent when the round listed everything. */
  window?: ListedWindow;
}

/**
 * Marks deleted the live rows a completed full round did not list: the provider no longer has them, whether or not
 * it said so. With a window only rows dated inside it are candidates (a row without a date is never swept), so mail
 * older than the window stays. Returns how many rows were marked.
 */
export async function sweepUnseen(
  executor: SqlExecutor,
  table: CrmTable,
  scope: SweepScope,
): Promise<number> {
  // The table name is spliced into SQL, so an unchecked cast from a caller must not reach it.
  if (!CRM_TABLES.includes(table)) throw new Error(`sweepUnseen: ${String(table)} is not a CRM table`);
  if (table === 'crm_objects' && !scope.objectType)
    throw new Error('sweepUnseen: crm_objects needs an objectType');
  const parameters: unknown[] = [scope.connectionId, scope.generation];
  const where = [`connection_id = $1`, `deleted_at IS NULL`, `seen_round IS DISTINCT FROM $2`];
  if (table === 'crm_objects') where.push(`object_type = $${parameters.push(scope.objectType)}`);
  if (scope.window) where.push(...windowConditions(table, scope.window, parameters));
  const [result] = await selectRows<{ swept: number }>(
    executor,
    `WITH swept AS (
      UPDATE ${table} SET deleted_at = now(), updated_at = now() WHERE ${where.join(' AND ')} RETURNING 1
    )
    SELECT count(*)::int AS swept FROM swept`,
    parameters,
  );
  return result?.swept ?? 0;
}
