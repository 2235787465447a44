import type { Resource } from '@crm-sync/core';
import type { SqlExecutor } from '@crm-sync/db';
import type { AuditRecord } from './types';
import { WHERE_RESOURCE } from './sql';

/**
 * Stores what a completeness audit found and did, in the transaction that repaired the table. When it found items
 * the table lacks, the resource is marked for a full round (which lists them) and made due now.
 */
export async function recordAudit(db: SqlExecutor, audit: AuditRecord): Promise<void> {
  await db.query(
    `UPDATE sync_states SET
        audit_at = $3, audit_missing = $4, audit_ghosts = $5, audit_repaired = $6,
        full_round_wanted = full_round_wanted OR $4 > 0,
        next_sync_at = CASE WHEN $4 > 0 THEN LEAST(next_sync_at, now()) ELSE next_sync_at END,
        updated_at = now()
      ${WHERE_RESOURCE}`,
    [audit.connectionId, audit.resource, audit.at, audit.missing, audit.ghosts, audit.repaired],
  );
}

/** What the last audit of a resource found; null when none ran (or the resource has no row). */
export async function lastAudit(
  db: SqlExecutor,
  connectionId: string,
  resource: Resource,
): Promise<(Omit<AuditRecord, 'connectionId' | 'resource'> & { fullRoundWanted: boolean }) | null> {
  const [row] = (await db.query(
    `SELECT audit_at, audit_missing, audit_ghosts, audit_repaired, full_round_wanted FROM sync_states
      ${WHERE_RESOURCE} AND audit_at IS NOT NULL`,
    [connectionId, resource],
  )) as Array<{
    audit_at: Date;
    audit_missing: number;
    audit_ghosts: number;
    audit_repaired: number;
    full_round_wanted: boolean;
  }>;
  if (!row) return null;
  return {
    at: row.audit_at,
    missing: row.audit_missing,
    ghosts: row.audit_ghosts,
    repaired: row.audit_repaired,
    fullRoundWanted: row.full_round_wanted,
  };
}
