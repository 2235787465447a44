import type { Resource } from '@crm-sync/core';
import type { SqlExecutor } from '@crm-sync/db';
import type { DueSync, NextDue, TriggerNowInput } from './types';
import { rows } from './sql';

interface DueRow {
  connection_id: string;
  resource: DueSync['resource'];
  provider: DueSync['provider'];
}

/**
 * Claims up to `limit` due, enabled syncs of active connections, oldest due first, with
 * `FOR UPDATE SKIP LOCKED`: schedulers running side by side split the rows instead of doubling the work. Run it
 * in a transaction (`db` is its EntityManager); the rows stay locked until it ends, and `scheduleClaimed` in the
 * same transaction writes when they are due next.
 */
export async function claimDue(
  db: SqlExecutor,
  limit: number,
  connectionId: string | null = null,
): Promise<DueSync[]> {
  const due = await rows<DueRow>(
    db,
    `SELECT s.connection_id, s.resource, c.provider
       FROM sync_states s JOIN connections c ON c.id = s.connection_id
      WHERE s.enabled AND s.next_sync_at <= now() AND c.status = 'active'
        AND ($2::uuid IS NULL OR s.connection_id = $2)
      ORDER BY s.next_sync_at
      LIMIT $1
      FOR UPDATE OF s SKIP LOCKED`,
    [limit, connectionId],
  );
  return due.map((r) => ({ connectionId: r.connection_id, resource: r.resource, provider: r.provider }));
}

/**
 * Moves claimed syncs to their next due time; an idle or failed one is now queued (its job was added). A resource
 * a healthy push channel covers (`push_until` ahead) gets the longer pushed delay: the poll is only its safety net.
 */
export async function scheduleClaimed(db: SqlExecutor, next: NextDue[]): Promise<void> {
  await db.query(
    `UPDATE sync_states AS s
        SET next_sync_at = now() + make_interval(secs =>
              CASE WHEN s.push_until > now() THEN d.pushed_ms ELSE d.delay_ms END / 1000.0),
            status = CASE WHEN s.status IN ('idle', 'failed') THEN 'queued' ELSE s.status END,
            updated_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::float8[], $4::float8[]) AS d(connection_id, resource, delay_ms, pushed_ms)
      WHERE s.connection_id = d.connection_id AND s.resource = d.resource`,
    [
      next.map((n) => n.connectionId),
      next.map((n) => n.resource),
      next.map((n) => n.delayMs),
      next.map((n) => n.pushedDelayMs ?? n.delayMs),
    ],
  );
}

/**
 * Makes a connection's enabled syncs due now; `full` drops their cursors so the next round starts over. The request
 * time is kept (`requested_at`): a round already running whose first fetch began before it cannot be trusted to
 * have seen the change, so it is followed by exactly one more round however many requests came meanwhile
 * (`advancePosition`), while a round still waiting in the queue simply takes them all (docs/push.md).
 */
export async function triggerNow(db: SqlExecutor, input: TriggerNowInput): Promise<void> {
  await db.query(
    `UPDATE sync_states
        SET next_sync_at = now(), updated_at = now(), requested_at = now(),
            mode = CASE WHEN $3 THEN 'full' ELSE mode END,
            cursor = CASE WHEN $3 THEN NULL ELSE cursor END,
            continuation = CASE WHEN $3 THEN NULL ELSE continuation END
      WHERE connection_id = $1 AND enabled AND ($2::text[] IS NULL OR resource = ANY($2))`,
    [input.connectionId, input.resources ?? null, input.full],
  );
}

/**
 * Records until when a healthy push channel covers a resource (null: none does); the scheduler and the engine then
 * poll it at the pushed interval. An earlier due time already set is left alone: only the next scheduling uses it.
 */
export async function setPushUntil(
  db: SqlExecutor,
  connectionId: string,
  resource: Resource,
  until: Date | null,
): Promise<void> {
  await db.query(
    `UPDATE sync_states SET push_until = $3, updated_at = now() WHERE connection_id = $1 AND resource = $2`,
    [connectionId, resource, until],
  );
}
