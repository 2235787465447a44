import { syncStates, type TriggerNowInput } from '@crm-sync/sync-states';
import { dispatchDueSyncs, type DispatchDeps } from './dispatchSyncs';

/** Which of a connection's syncs to make due now, and whether to start them over. */
export type TriggerInput = TriggerNowInput;

/**
 * Makes a connection's syncs due now and enqueues them at once, without waiting for the next tick: the reaction
 * to a new connection and to a sync requested by the CRM.
 */
export async function triggerSync(deps: DispatchDeps, input: TriggerInput): Promise<{ enqueued: number }> {
  await syncStates.triggerNow(deps.db, input);
  return dispatchDueSyncs(deps, { connectionId: input.connectionId });
}
