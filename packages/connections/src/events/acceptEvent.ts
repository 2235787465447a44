import { ConnectionEntity } from '@crm-sync/db';
import type { ConnectionEvent } from '@crm-sync/core';
import { publishInTransaction } from '@crm-sync/outbox';
import { QUEUE_NAMES } from '@crm-sync/queue';
import type { DataSource } from 'typeorm';
import type { RequestOutcome } from '../requests';

/**
 * An event a CRM service sent over HTTP (`POST /v1/events`), already validated against the `connection-events`
 * schema and its tenant checked against the service's grant: recorded in the outbox, from where the relay hands it
 * to the same queue and handler as events sent to the queue directly. An event naming a connection is accepted
 * only if that connection belongs to the event's tenant, since the worker's handlers trust the connection id.
 * The caller's event id is kept, so a service retrying the same event while it waits is recorded once.
 */
export async function acceptEvent(db: DataSource, event: ConnectionEvent): Promise<RequestOutcome> {
  if ('connectionId' in event) {
    const owned = await db
      .getRepository(ConnectionEntity)
      .existsBy({ id: event.connectionId, tenantId: event.tenantId });
    if (!owned) return { kind: 'not_found' };
  }
  const eventId = await publishInTransaction(db.manager, QUEUE_NAMES.connectionEvents, event);
  return { kind: 'accepted', eventId };
}
