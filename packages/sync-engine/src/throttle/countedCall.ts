import { setTimeout as delay } from 'node:timers/promises';
import type { ProviderAdapter, RequestTally } from '@crm-sync/core';
import type { SyncEngineDeps } from '../types';

/** The requests one provider call made, as its adapter's clients counted them. */
class RequestCount implements RequestTally {
  count = 0;

  add(requests: number): void {
    this.count += requests;
  }
}

/**
 * Makes a provider call the sync side was admitted for (ConnectionThrottle.admit counted one request) and counts the
 * rest of what it really sent against the connection's budget: a Gmail page gets each message, a Graph page lists
 * attachments through `$batch`, a HubSpot page reads associations. Counted even when the call fails: the requests
 * were made.
 */
export async function countedCall<R>(
  deps: Pick<SyncEngineDeps, 'throttle' | 'now'>,
  connectionId: string,
  adapter: Pick<ProviderAdapter, 'api'>,
  call: (tally: RequestTally) => Promise<R>,
): Promise<R> {
  const tally = new RequestCount();
  try {
    return await call(tally);
  } finally {
    const now = deps.now?.() ?? new Date();
    await deps.throttle.spend(connectionId, 'sync', adapter.api.requestBudget, tally.count - 1, now);
  }
}

/**
 * Waits until the sync side may call the provider for the connection, and counts that request: how the audit's id
 * passes and repair fetches spend the user's quota like the sync does, so an audit beside a busy sync never takes the
 * user past the provider's per-user limit, and waits while the provider holds the connection.
 */
export async function admitSync(
  deps: Pick<SyncEngineDeps, 'throttle' | 'now'>,
  connectionId: string,
  adapter: Pick<ProviderAdapter, 'api'>,
): Promise<void> {
  for (;;) {
    const now = deps.now?.() ?? new Date();
    const admission = await deps.throttle.admit(connectionId, 'sync', adapter.api.requestBudget, now);
    if (admission.kind === 'go') return;
    await delay(admission.waitMs);
  }
}
