import { InvalidPayloadError, parsePayload } from '@crm-sync/core';
import { JOB_CATALOG, type CatalogQueue, type JobProducer } from '@crm-sync/queue';
import type { DataSource, EntityManager } from 'typeorm';
import type { OutboxQueue } from './record';

export interface RelayDeps {
  db: DataSource;
  producer: JobProducer;
  /** Rows handed over per transaction (one `addBulk` per queue). */
  batchSize: number;
}

export interface RelayResult {
  /** Rows Redis accepted, now deleted from the outbox. */
  relayed: number;
  /** Rows set aside because their queue's schema refuses them (kept, with the reason, for an operator). */
  parked: number;
}

interface OutboxRow {
  id: string;
  queue: string;
  job_name: string;
  job_id: string;
  payload: unknown;
}

/**
 * Hands the oldest pending outbox rows to BullMQ, then deletes them, in one transaction. Several relays may run
 * at once (scheduler replicas): `FOR UPDATE SKIP LOCKED` gives each its own rows. If Redis refuses or does not
 * answer, the producer throws `QueueUnavailableError`, the transaction rolls back and every row stays for the
 * next pass. If the process dies after Redis accepted the jobs but before the delete committed, the next pass
 * adds them again under the same job id (the event id), which BullMQ ignores while that job exists.
 */
export async function relayOutbox(deps: RelayDeps): Promise<RelayResult> {
  return deps.db.transaction(async (manager) => {
    const rows = (await manager.query(
      `SELECT id::text AS id, queue, job_name, job_id, payload FROM outbox
        WHERE parked_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [deps.batchSize],
    )) as OutboxRow[];
    if (rows.length === 0) return { relayed: 0, parked: 0 };
    const { byQueue, refused } = sortRows(rows);
    for (const [queue, jobs] of byQueue) {
      await deps.producer.enqueueBulk(
        queue,
        jobs.map((row) => ({
          name: row.job_name,
          payload: row.payload as never,
          options: { jobId: row.job_id },
        })),
      );
    }
    const relayed = [...byQueue.values()].flat().map((row) => row.id);
    await manager.query(`DELETE FROM outbox WHERE id = ANY($1::bigint[])`, [relayed]);
    await park(manager, refused);
    return { relayed: relayed.length, parked: refused.length };
  });
}

/** Groups rows by queue, oldest first within each, and picks out the ones no queue would take. */
function sortRows(rows: OutboxRow[]): {
  byQueue: Map<OutboxQueue, OutboxRow[]>;
  refused: Array<{ id: string; reason: string }>;
} {
  const byQueue = new Map<OutboxQueue, OutboxRow[]>();
  const refused: Array<{ id: string; reason: string }> = [];
  for (const row of rows) {
    const reason = refusal(row);
    if (reason) {
      refused.push({ id: row.id, reason });
      continue;
    }
    const queue = row.queue as OutboxQueue;
    byQueue.set(queue, [...(byQueue.get(queue) ?? []), row]);
  }
  return { byQueue, refused };
}

/** Why a row cannot be relayed (an unknown queue, or a payload its schema no longer accepts), or null. */
function refusal(row: OutboxRow): string | null {
  if (!(row.queue in JOB_CATALOG)) return `unknown queue ${row.queue}`;
  try {
    parsePayload(JOB_CATALOG[row.queue as CatalogQueue].schema, row.payload, `outbox row ${row.id}`);
    return null;
  } catch (error) {
    if (error instanceof InvalidPayloadError) return error.message.slice(0, 500);
    throw error;
  }
}

async function park(manager: EntityManager, refused: Array<{ id: string; reason: string }>): Promise<void> {
  for (const row of refused) {
    await manager.query(`UPDATE outbox SET parked_at = now(), last_error = $2 WHERE id = $1::bigint`, [
      row.id,
      row.reason,
    ]);
  }
}
