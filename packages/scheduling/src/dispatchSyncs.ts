import { syncJobId, type Provider, type Resource } from '@crm-sync/core';
import { SYNC_QUEUES, type JobProducer } from '@crm-sync/queue';
import type { DataSource, EntityManager } from 'typeorm';
import { intervalSeconds, type SyncIntervals } from './intervals';

export interface DispatchDeps {
  db: DataSource;
  producer: JobProducer;
  intervals: SyncIntervals;
  /** Rows claimed per transaction; one addBulk per provider per batch. */
  batchSize: number;
}

interface DueRow {
  connection_id: string;
  resource: Resource;
  provider: Provider;
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
  const rows = await manager.query<DueRow[]>(
    `SELECT s.connection_id, s.resource, c.provider
       FROM sync_states s JOIN connections c ON c.id = s.connection_id
      WHERE s.enabled AND s.next_sync_at <= now() AND c.status = 'active'
        AND ($2::uuid IS NULL OR s.connection_id = $2)
      ORDER BY s.next_sync_at
      LIMIT $1
      FOR UPDATE OF s SKIP LOCKED`,
    [deps.batchSize, connectionId ?? null],
  );
  if (rows.length === 0) return 0;
  await enqueueByProvider(deps.producer, rows);
  await manager.query(
    `UPDATE sync_states AS s
        SET next_sync_at = now() + make_interval(secs => d.delay),
            status = CASE WHEN s.status IN ('idle', 'failed') THEN 'queued' ELSE s.status END,
            updated_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::float8[]) AS d(connection_id, resource, delay)
      WHERE s.connection_id = d.connection_id AND s.resource = d.resource`,
    [
      rows.map((r) => r.connection_id),
      rows.map((r) => r.resource),
      rows.map((r) => intervalSeconds(deps.intervals, r.provider, r.resource)),
    ],
  );
  return rows.length;
}

async function enqueueByProvider(producer: JobProducer, rows: DueRow[]): Promise<void> {
  const byProvider = new Map<Provider, DueRow[]>();
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
          const payload = { connectionId: row.connection_id, resource: row.resource };
          return { name: row.resource, payload, options: { dedupeId: syncJobId(payload) } };
        }),
      ),
    ),
  );
}
