import type { CrmTableName, ListedWindow, Resource } from '@crm-sync/core';
import { CRM_TABLES, windowConditions, type SqlExecutor } from '@crm-sync/db';

/** One resource's rows of one connection, compared with what the provider listed. */
export interface IdComparison {
  table: CrmTableName;
  objectType: string | undefined;
  connectionId: string;
  resource: Resource;
  /** Every id the provider listed. */
  listed: readonly string[];
  /** The window the listing covered; absent when it listed everything. */
  window: ListedWindow | undefined;
  /** When the listing began, on the database's clock. */
  since: Date;
}

export interface IdDifference {
  /** Listed ids the table has no row for (live, or deleted since the listing began), and that are not quarantined. */
  missing: string[];
  /** Live rows dated inside the window, unwritten since the listing began, that the listing did not hold. */
  ghosts: string[];
}

/**
 * The difference between the provider's id set and the table's. The sets are compared here rather than in SQL: a
 * 100k-id array against 100k rows is a hash lookup per id in memory, where the planner, estimating an array
 * parameter at a handful of rows, may choose a nested loop.
 *
 * Why rows written since the listing began are never ghosts: a sync may insert an item the provider created after
 * the listing passed its place, so the listing lacks it though the provider has it. Why a row deleted since then is
 * not missing: a sync may have removed an item the provider deleted after the listing saw it. Quarantined items are
 * known and set aside (records/quarantine.ts), not missing.
 */
export async function compareIds(db: SqlExecutor, comparison: IdComparison): Promise<IdDifference> {
  const { table, objectType, connectionId, resource, window, since } = comparison;
  // The table name is spliced into SQL, so an unchecked cast from a caller must not reach it.
  if (!CRM_TABLES.includes(table)) throw new Error(`compareIds: ${String(table)} is not a CRM table`);
  const parameters: unknown[] = [connectionId, since];
  const byType = table === 'crm_objects' ? `AND object_type = $${parameters.push(objectType)}` : '';
  const inWindow = window ? windowConditions(table, window, parameters).join(' AND ') : 'true';
  const rows = (await db.query(
    `SELECT external_id, (deleted_at IS NULL AND updated_at < $2 AND ${inWindow}) AS candidate
       FROM ${table}
      WHERE connection_id = $1 ${byType} AND (deleted_at IS NULL OR updated_at >= $2)`,
    parameters,
  )) as Array<{ external_id: string; candidate: boolean }>;
  const quarantined = (await db.query(
    `SELECT external_id FROM sync_quarantine WHERE connection_id = $1 AND resource = $2`,
    [connectionId, resource],
  )) as Array<{ external_id: string }>;
  const known = new Set([...rows, ...quarantined].map((row) => row.external_id));
  const listed = new Set(comparison.listed);
  return {
    missing: [...listed].filter((id) => !known.has(id)),
    ghosts: rows.filter((row) => row.candidate && !listed.has(row.external_id)).map((row) => row.external_id),
  };
}
