import { selectRows, type SqlExecutor } from './executor';

export const CRM_TABLES = ['emails', 'calendar_events', 'contacts', 'crm_objects'] as const;
export type CrmTable = (typeof CRM_TABLES)[number];

/**
 * Marks rows the provider reported deleted; returns how many were newly marked. Rows already marked keep
 * their original deletion time, and ids never synced are ignored.
 */
export function markDeleted(
  executor: SqlExecutor,
  table: Exclude<CrmTable, 'crm_objects'>,
  connectionId: string,
  externalIds: readonly string[],
): Promise<number>;
/** crm_objects ids are unique only per HubSpot object type, so the type is required there. */
export function markDeleted(
  executor: SqlExecutor,
  table: 'crm_objects',
  connectionId: string,
  externalIds: readonly string[],
  objectType: string,
): Promise<number>;
export async function markDeleted(
  executor: SqlExecutor,
  table: CrmTable,
  connectionId: string,
  externalIds: readonly string[],
  objectType?: string,
): Promise<number> {
  // The table name is spliced into SQL, so an unchecked cast from a caller must not reach it.
  if (!CRM_TABLES.includes(table)) throw new Error(`markDeleted: ${String(table)} is not a CRM table`);
  if (externalIds.length === 0) return 0;
  const byType = table === 'crm_objects' ? 'AND object_type = $3' : '';
  const parameters: unknown[] = [connectionId, externalIds];
  if (table === 'crm_objects') parameters.push(objectType);
  const [result] = await selectRows<{ marked: number }>(
    executor,
    `WITH marked AS (
      UPDATE ${table} SET deleted_at = now(), updated_at = now()
      WHERE connection_id = $1 AND external_id = ANY($2::text[]) ${byType} AND deleted_at IS NULL
      RETURNING 1
    )
    SELECT count(*)::int AS marked FROM marked`,
    parameters,
  );
  return result?.marked ?? 0;
}
