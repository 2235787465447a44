import { selectRows, type SqlExecutor } from './executor';

export const CRM_TABLES = [
  'emails',
  'calendar_events',
  'contacts',
  'tasks',
  'drive_files',
  'crm_objects',
] as const;
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

/** Rows a completeness audit found the provider no longer lists. */
export interface GhostScope {
  connectionId: string;
  /** Required for crm_objects. */
  objectType?: string;
  externalIds: readonly string[];
  /** When the audit's provider listing began: a row written since is the sync's news and is left alone. */
  writtenBefore: Date;
}

/**
 * Marks an audit's ghost rows deleted, like `markDeleted`, but only rows still unwritten since the listing began:
 * a row a sync revived or inserted meanwhile (even while this statement waits for that sync's transaction, as
 * Postgres re-checks the condition on the row's newest version) stays. Returns how many were marked.
 */
export async function markGhostsDeleted(
  executor: SqlExecutor,
  table: CrmTable,
  scope: GhostScope,
): Promise<number> {
  if (!CRM_TABLES.includes(table)) throw new Error(`markGhostsDeleted: ${String(table)} is not a CRM table`);
  if (table === 'crm_objects' && !scope.objectType)
    throw new Error('markGhostsDeleted: crm_objects needs an objectType');
  if (scope.externalIds.length === 0) return 0;
  const parameters: unknown[] = [scope.connectionId, scope.externalIds, scope.writtenBefore];
  const byType = table === 'crm_objects' ? `AND object_type = $${parameters.push(scope.objectType)}` : '';
  const [result] = await selectRows<{ marked: number }>(
    executor,
    `WITH marked AS (
      UPDATE ${table} SET deleted_at = now(), updated_at = now()
      WHERE connection_id = $1 AND external_id = ANY($2::text[]) ${byType} AND deleted_at IS NULL
        AND updated_at < $3
      RETURNING 1
    )
    SELECT count(*)::int AS marked FROM marked`,
    parameters,
  );
  return result?.marked ?? 0;
}
