import type { Resource } from '@crm-sync/core';
import { dispatchDueSyncs, type DispatchDeps } from './dispatchSyncs';

export interface TriggerInput {
  connectionId: string;
  /** All enabled resources when absent. */
  resources?: Resource[];
  /** Drop the cursors and start over with a full sync. */
  full: boolean;
}

/**
 * Makes a connection's syncs due now and enqueues them at once, without waiting for the next tick: the reaction
 * to a new connection and to a sync requested by the CRM.
 */
export async function triggerSync(deps: DispatchDeps, input: TriggerInput): Promise<{ enqueued: number }> {
  await deps.db.query(
    `UPDATE sync_states
        SET next_sync_at = now(), updated_at = now(),
            mode = CASE WHEN $3 THEN 'full' ELSE mode END,
            cursor = CASE WHEN $3 THEN NULL ELSE cursor END,
            continuation = CASE WHEN $3 THEN NULL ELSE continuation END
      WHERE connection_id = $1 AND enabled AND ($2::text[] IS NULL OR resource = ANY($2))`,
    [input.connectionId, input.resources ?? null, input.full],
  );
  return dispatchDueSyncs(deps, { connectionId: input.connectionId });
}
