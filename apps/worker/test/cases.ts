import { syncJobId } from '@crm-sync/core';
import type { ConnectionsHarness } from '@crm-sync/connections/testing';
import { SYNC_QUEUES } from '@crm-sync/queue';
import { hasSyncer, SYNC_CASES, type SyncCase } from '@crm-sync/sync-engine/testing';

/**
 * The case the worker tests sync: mail where a mail syncer exists (large mailboxes are the point), else any
 * resource packages/providers offers. Undefined when no syncer has landed; the tests then report skipped.
 */
export function workerCase(): SyncCase | undefined {
  const preference = [
    ...SYNC_CASES.filter((c) => c.resource === 'mail'),
    ...SYNC_CASES.filter((c) => c.resource !== 'mail'),
  ];
  return preference.find((c) => hasSyncer(c.provider, c.resource));
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
