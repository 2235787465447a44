import type { AuditEventType } from '@crm-sync/core';
import type { DataSource } from 'typeorm';

/** One line of a connection's audit trail as services see it. */
export interface ConnectionLogEntry {
  type: AuditEventType;
  actor: string;
  details: Record<string, unknown>;
  at: string;
}

/**
 * The newest `limit` audit events of a connection of `tenantId`, newest first; null when the connection is
 * unknown or another tenant's, so ids cannot be probed. Details never hold a secret (audit.ts).
 */
export async function connectionLog(
  db: DataSource,
  tenantId: string,
  connectionId: string,
  limit: number,
): Promise<ConnectionLogEntry[] | null> {
  const [known] = (await db.query(`SELECT 1 FROM connections WHERE id = $1 AND tenant_id = $2`, [
    connectionId,
    tenantId,
  ])) as unknown[];
  if (!known) return null;
  const rows = (await db.query(
    `SELECT type, actor, details, created_at FROM audit_events WHERE connection_id = $1
      ORDER BY created_at DESC, id DESC LIMIT $2`,
    [connectionId, limit],
  )) as Array<{ type: AuditEventType; actor: string; details: Record<string, unknown>; created_at: Date }>;
  return rows.map((r) => ({
    type: r.type,
    actor: r.actor,
    details: r.details,
    at: r.created_at.toISOString(),
  }));
}
