import type { Resource } from '@crm-sync/core';
import type { SqlExecutor } from '@crm-sync/db';
import { clip, WHERE_RESOURCE } from './sql';

/**
 * Throttled: due again after `delayFor(streak)`, where the streak counts throttled attempts since the last committed
 * page, this one included. Not a failure, so the failure count is untouched. Returns when it is due again.
 */
export async function recordRateLimited(
  db: SqlExecutor,
  connectionId: string,
  resource: Resource,
  now: Date,
  delayFor: (streak: number) => number,
): Promise<Date> {
  const [row] = (await db.query(
    `UPDATE sync_states SET rate_limit_streak = rate_limit_streak + 1, status = 'queued', updated_at = now()
     ${WHERE_RESOURCE} RETURNING rate_limit_streak`,
    [connectionId, resource],
  )) as [Array<{ rate_limit_streak: number }>, number];
  const retryAt = new Date(now.getTime() + delayFor(row[0]?.rate_limit_streak ?? 1));
  await db.query(`UPDATE sync_states SET next_sync_at = $3 ${WHERE_RESOURCE}`, [
    connectionId,
    resource,
    retryAt,
  ]);
  return retryAt;
}

/**
 * Not attempted: the provider is throttling the connection already (told to the sync or the token broker's proxy).
 * Due again at `retryAt`; the streak is untouched, since the provider was not asked again.
 */
export async function deferThrottled(
  db: SqlExecutor,
  connectionId: string,
  resource: Resource,
  retryAt: Date,
): Promise<void> {
  await db.query(
    `UPDATE sync_states SET status = 'queued', next_sync_at = $3, updated_at = now() ${WHERE_RESOURCE}`,
    [connectionId, resource, retryAt],
  );
}

/** The provider no longer accepts the cursor: the next page starts a full round. */
export async function recordCursorReset(
  db: SqlExecutor,
  connectionId: string,
  resource: Resource,
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE sync_states SET mode = 'full', cursor = NULL, continuation = NULL, phase = 'full',
            last_error = 'cursor expired; full resync', last_error_at = $3, updated_at = now() ${WHERE_RESOURCE}`,
    [connectionId, resource, now],
  );
}

/** Counts a failure and schedules the retry; returns the new failure count. */
export async function recordTransient(
  db: SqlExecutor,
  connectionId: string,
  resource: Resource,
  reason: string,
  now: Date,
  delayFor: (failures: number) => number,
): Promise<{ failures: number; retryAt: Date }> {
  const [row] = (await db.query(
    `UPDATE sync_states SET consecutive_failures = consecutive_failures + 1, status = 'failed',
            last_error = $3, last_error_at = $4, updated_at = now() ${WHERE_RESOURCE}
     RETURNING consecutive_failures`,
    [connectionId, resource, clip(reason), now],
  )) as [Array<{ consecutive_failures: number }>, number];
  const failures = row[0]?.consecutive_failures ?? 1;
  const retryAt = new Date(now.getTime() + delayFor(failures));
  await db.query(`UPDATE sync_states SET next_sync_at = $3 ${WHERE_RESOURCE}`, [
    connectionId,
    resource,
    retryAt,
  ]);
  return { failures, retryAt };
}

/** Retrying cannot help: this resource stops with the reason until a reconnect re-enables it. */
export async function disable(
  db: SqlExecutor,
  connectionId: string,
  resource: Resource,
  reason: string,
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE sync_states SET enabled = false, status = 'disabled', disabled_reason = $3,
            last_error = $4, last_error_at = $5, next_sync_at = NULL, updated_at = now() ${WHERE_RESOURCE}`,
    [connectionId, resource, clip(reason), clip(`permanent: ${reason}`), now],
  );
}
