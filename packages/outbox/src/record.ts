import { parsePayload } from '@crm-sync/core';
import { JOB_CATALOG, type JobPayload } from '@crm-sync/queue';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** Queues whose jobs are events: each carries its own id (also its job id) and the time it happened. */
export type OutboxQueue = 'connection-events' | 'crm-notifications';

type WithoutIds<T> = T extends unknown ? Omit<T, 'eventId' | 'occurredAt'> : never;
/** An event as its sender writes it: the id and the time are filled in unless the sender has them already. */
export type OutboxEvent<Q extends OutboxQueue> = WithoutIds<JobPayload<Q>> & {
  type: string;
  eventId?: string;
  occurredAt?: string;
};

/**
 * Records an event (a notification to the CRM, or an inbound event for the worker) in the caller's transaction:
 * it reaches its queue only if the transaction commits, and then surely, however long Redis is away (the relay,
 * `relayOutbox`, hands it over). This is the one way to send an event that announces or follows a state change.
 * The payload is validated against the queue's schema now, so a bad event fails the transaction that made it.
 * An event id already recorded on that queue is not recorded twice (a sender retrying the same event). Returns
 * the event id.
 */
export async function publishInTransaction<Q extends OutboxQueue>(
  manager: Pick<EntityManager, 'query'>,
  queue: Q,
  event: OutboxEvent<Q>,
  occurredAt: Date = new Date(),
): Promise<string> {
  const eventId = event.eventId ?? randomUUID();
  const payload = parsePayload(
    JOB_CATALOG[queue].schema,
    { ...event, eventId, occurredAt: event.occurredAt ?? occurredAt.toISOString() },
    `${queue} event`,
  );
  await manager.query(
    `INSERT INTO outbox (queue, job_name, job_id, payload) VALUES ($1, $2, $3, $4)
     ON CONFLICT (queue, job_id) DO NOTHING`,
    [queue, event.type, eventId, JSON.stringify(payload)],
  );
  return eventId;
}
