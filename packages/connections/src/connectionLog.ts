import type { AuditEventType } from '@crm-sync/core';
import type { DataSource } from 'typeorm';

/** One line of a connection's audit trail as services see it. */
export interface ConnectionLogEntry {
  /** The event's id; pass the last one seen as `before` for the next (older) page. */
  id: string;
  type: AuditEventType;
  actor: string;
  details: Record<string, unknown>;
  at: string;
}

/** One page of a connection's log, and the cursor of the next (older) page, null at the first event. */
export interface ConnectionLogPage {
  events: ConnectionLogEntry[];
  nextBefore: string | null;
}

/**
 * A page of a connection of `tenantId`'s audit events, newest first, older than the event id `before` when given:
 * authorizations with their scopes, token refreshes, revocations, disconnects, purges, broker use. Null when the
 * connection is unknown or another tenant's, so ids cannot be probed. Details never hold a secret (audit.ts).
 * Keyset paging on the event id (ids grow with time), so a page holds still while new events arrive.
 */
export async function connectionLog(
  db: DataSource,
  tenantId: string,
  connectionId: string,
  page: { limit: number; before?: string },
): Promise<ConnectionLogPage | null> {
  const [known] = (await db.query(`SELECT 1 FROM connections WHERE id = $1 AND tenant_id = $2`, [
    connectionId,
    tenantId,
  ])) as unknown[];
  if (!known) return null;
  const rows = (await db.query(
    `SELECT id::text AS id, type, actor, details, created_at FROM audit_events
      WHERE connection_id = $1 AND ($3::bigint IS NULL OR id < $3::bigint)
      ORDER BY id DESC LIMIT $2`,
    [connectionId, page.limit + 1, page.before ?? null],
  )) as Array<{
    id: string;
    type: AuditEventType;
    actor: string;
    details: Record<string, unknown>;
    created_at: Date;
  }>;
  const events = rows.slice(0, page.limit).map((r) => ({
    id: r.id,
    type: r.type,
    actor: r.actor,
    details: r.details,
    at: r.created_at.toISOString(),
  }));
  return { events, nextBefore: rows.length > page.limit ? events[events.length - 1]!.id : null };
}
