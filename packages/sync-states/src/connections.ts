import type { SqlExecutor } from '@crm-sync/db';
import type { RequestedResource } from './types';

/**
 * Gives a (re)connected account one state per requested resource, due now, or disabled with its reason; a
 * reconnect re-enables and resets the failure count but keeps cursors. Resources asked for before and not
 * any more stop with 'not requested' (their synced rows stay). Runs in the caller's transaction.
 */
export async function createForConnection(
  db: SqlExecutor,
  connectionId: string,
  requested: RequestedResource[],
): Promise<void> {
  const resources = requested.map((r) => r.resource);
  await db.query(
    `INSERT INTO sync_states (connection_id, resource, enabled, status, next_sync_at, disabled_reason)
     SELECT $1, r.resource, r.reason IS NULL, CASE WHEN r.reason IS NULL THEN 'idle' ELSE 'disabled' END,
            now(), r.reason
       FROM unnest($2::text[], $3::text[]) AS r(resource, reason)
     ON CONFLICT (connection_id, resource) DO UPDATE SET
       enabled = EXCLUDED.enabled, status = EXCLUDED.status, next_sync_at = now(),
       disabled_reason = EXCLUDED.disabled_reason, consecutive_failures = 0, updated_at = now()`,
    [connectionId, resources, requested.map((r) => r.disabledReason)],
  );
  await db.query(
    `UPDATE sync_states SET enabled = false, status = 'disabled', disabled_reason = 'not requested',
            updated_at = now()
      WHERE connection_id = $1 AND NOT (resource = ANY($2::text[]))`,
    [connectionId, resources],
  );
}

/**
 * Stops every resource of a connection that ended (revoked, disconnected, needs re-auth): disabled with the
 * reason, the continuation dropped and nothing due. The cursor stays, for a reconnect to resume from.
 */
export async function disableConnection(
  db: SqlExecutor,
  connectionId: string,
  reason: string,
): Promise<void> {
  await db.query(
    `UPDATE sync_states SET enabled = false, status = 'disabled', disabled_reason = $2, continuation = NULL,
            next_sync_at = NULL, updated_at = now()
      WHERE connection_id = $1`,
    [connectionId, reason],
  );
}

/**
 * Deletes every resource row of connections whose data was deleted on request (docs/deletion.md): cursors and
 * counters describe the user's account, so they go with it. Returns how many rows went.
 */
export async function deleteForConnections(db: SqlExecutor, connectionIds: string[]): Promise<number> {
  const [, count] = (await db.query(`DELETE FROM sync_states WHERE connection_id = ANY($1::uuid[])`, [
    connectionIds,
  ])) as [unknown, number];
  return count;
}
