import { syncJobId } from '@crm-sync/core';
import type { ConnectionsHarness } from '@crm-sync/connections/testing';
import { SYNC_QUEUES } from '@crm-sync/queue';
import { hasSyncer, SYNC_CASES, type SyncCase } from '@crm-sync/sync-engine/testing';

/**
 * The case the worker tests sync: mail where a mail syncer exists (large mailboxes are the point), else any
 * resource packages/providers offers. Fails loudly when none exists: a worker suite that syncs nothing would
 * pass without showing anything.
 */
export function workerCase(): SyncCase {
  const preference = [
    ...SYNC_CASES.filter((c) => c.resource === 'mail'),
    ...SYNC_CASES.filter((c) => c.resource !== 'mail'),
  ];
  const found = preference.find((c) => hasSyncer(c.provider, c.resource));
  if (!found)
    throw new Error('no provider registers a syncer (packages/providers): the worker suites need one');
  return found;
}

export function enqueueSync(h: ConnectionsHarness, c: SyncCase, connectionId: string): Promise<string> {
  const data = { connectionId, resource: c.resource };
  return h.deps.producer.enqueue(SYNC_QUEUES[c.provider], c.resource, data, { jobId: syncJobId(data) });
}

/** Integer from the environment with a default, so CI or a fast machine can scale a test up. */
export function sizeFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}
