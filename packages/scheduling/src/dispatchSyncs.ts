import { syncJobId, type Provider } from '@crm-sync/core';
import { SYNC_QUEUES, type JobProducer } from '@crm-sync/queue';
import { syncStates, type DueSync } from '@crm-sync/sync-states';
import type { DataSource, EntityManager } from 'typeorm';
import { nextDelays, type SyncIntervals } from './intervals';

export interface DispatchDeps {
  db: DataSource;
  producer: JobProducer;
  intervals: SyncIntervals;
  /** Rows claimed per transaction; one addBulk per provider per batch. */
  batchSize: number;
}

/**
 * Enqueues every due, enabled sync of an active connection, in batches. Each batch is claimed with
 * `FOR UPDATE SKIP LOCKED`, so schedulers running side by side split the work instead of doubling it; the jobs
 * are added while the rows are locked and the next due time is written in the same transaction, so a failed
 * add leaves the rows due for the next tick, and a crash after the add is harmless because the dedupe key drops the second add.
 */
export async function dispatchDueSyncs(
  deps: DispatchDeps,
  filter: { connectionId?: string; maxBatches?: number } = {},
): Promise<{ enqueued: number }> {
  let enqueued = 0;
  for (let batch = 0; batch < (filter.maxBatches ?? Infinity); batch += 1) {
    const claimed = await deps.db.transaction((manager) => claimBatch(manager, deps, filter.connectionId));
    enqueued += claimed;
    if (claimed < deps.batchSize) break;
  }
  return { enqueued };
}

async function claimBatch(
  manager: EntityManager,
  deps: DispatchDeps,
  connectionId?: string,
): Promise<number> {
  const due = await syncStates.claimDue(manager, deps.batchSize, connectionId ?? null);
  if (due.length === 0) return 0;
  await enqueueByProvider(deps.producer, due);
  await syncStates.scheduleClaimed(
    manager,
    due.map((d) => ({ ...d, ...nextDelays(deps.intervals, d.provider, d.resource) })),
  );
  return due.length;
}

async function enqueueByProvider(producer: JobProducer, rows: DueSync[]): Promise<void> {
  const byProvider = new Map<Provider, DueSync[]>();
  for (const row of rows) {
    const list = byProvider.get(row.provider);
    if (list) list.push(row);
    else byProvider.set(row.provider, [row]);
  }
  await Promise.all(
    [...byProvider].map(([provider, due]) =>
      producer.enqueueBulk(
        SYNC_QUEUES[provider],
        due.map((row) => {
          const payload = { connectionId: row.connectionId, resource: row.resource };
          return { name: row.resource, payload, options: { dedupeId: syncJobId(payload) } };
        }),
      ),
    ),
  );
}
