import type { Provider, Resource, SyncContinuation, SyncPosition } from '@crm-sync/core';
import type { SqlExecutor } from '@crm-sync/db';
import type { AuditRecord, DueSync, NextDue } from './types';
import { WHERE_RESOURCE } from './sql';

/**
 * Stores what a completeness audit found and did, in the transaction that repaired the table. `fullRoundWanted`:
 * items the table lacks are left to a full round (which lists them), and the resource is made due now.
 */
export async function recordAudit(
  db: SqlExecutor,
  audit: AuditRecord & { fullRoundWanted: boolean },
): Promise<void> {
  await db.query(
    `UPDATE sync_states SET
        audit_at = $3, audit_missing = $4, audit_ghosts = $5, audit_repaired = $6,
        full_round_wanted = full_round_wanted OR $7,
        next_sync_at = CASE WHEN $7 THEN LEAST(next_sync_at, now()) ELSE next_sync_at END,
        updated_at = now()
      ${WHERE_RESOURCE}`,
    [
      audit.connectionId,
      audit.resource,
      audit.at,
      audit.missing,
      audit.ghosts,
      audit.repaired,
      audit.fullRoundWanted,
    ],
  );
}

/**
 * Locks a resource's row for the caller's transaction and returns its position and round generation: a writer
 * outside the sync's page order (the audit storing missing items, a write's outcome) checks that no page committed
 * since it read the position, and holds pages off until it commits. Null for a disabled resource: a connection's
 * ending disables its rows in its own transaction, so a writer either holds the row first (the ending waits, and a
 * purge after it deletes what was written) or finds it disabled and writes nothing, as `advancePosition` does.
 */
export async function lockPosition(
  db: SqlExecutor,
  connectionId: string,
  resource: Resource,
): Promise<{ position: SyncPosition; roundGeneration: number } | null> {
  const [row] = (await db.query(
    `SELECT mode, cursor, continuation, round_generation FROM sync_states ${WHERE_RESOURCE} AND enabled FOR UPDATE`,
    [connectionId, resource],
  )) as Array<{
    mode: SyncPosition['mode'];
    cursor: string | null;
    continuation: SyncContinuation | null;
    round_generation: string;
  }>;
  if (!row) return null;
  return {
    position: { mode: row.mode, cursor: row.cursor, continuation: row.continuation },
    roundGeneration: Number(row.round_generation),
  };
}

/**
 * Claims up to `limit` resources due a completeness audit, as `claimDue` claims syncs (`FOR UPDATE SKIP LOCKED`, in
 * the caller's transaction, followed by `scheduleAudits`): enabled resources of active connections whose sync has
 * completed a round (incremental), due at `audit_due_at`, or, before a first audit was scheduled, one interval after
 * their last full round, or at once if none is recorded (a row from before full rounds were recorded). Each branch
 * has its partial index, as the scheduler asks every tick.
 */
export async function claimDueAudits(db: SqlExecutor, limit: number, intervalMs: number): Promise<DueSync[]> {
  const due = (await db.query(
    `SELECT s.connection_id, s.resource, c.provider
       FROM sync_states s JOIN connections c ON c.id = s.connection_id
      WHERE s.enabled AND c.status = 'active' AND s.mode = 'incremental'
        AND (s.audit_due_at <= now()
          OR (s.audit_due_at IS NULL
            AND (s.full_round_at IS NULL OR s.full_round_at <= now() - make_interval(secs => $2 / 1000.0))))
      ORDER BY s.audit_due_at NULLS FIRST
      LIMIT $1
      FOR UPDATE OF s SKIP LOCKED`,
    [limit, intervalMs],
  )) as Array<{ connection_id: string; resource: Resource; provider: Provider }>;
  return due.map((r) => ({ connectionId: r.connection_id, resource: r.resource, provider: r.provider }));
}

/** Moves claimed audits to their next due time. */
export async function scheduleAudits(db: SqlExecutor, next: NextDue[]): Promise<void> {
  await db.query(
    `UPDATE sync_states AS s
        SET audit_due_at = now() + make_interval(secs => d.delay_ms / 1000.0), updated_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::float8[]) AS d(connection_id, resource, delay_ms)
      WHERE s.connection_id = d.connection_id AND s.resource = d.resource`,
    [next.map((n) => n.connectionId), next.map((n) => n.resource), next.map((n) => n.delayMs)],
  );
}
