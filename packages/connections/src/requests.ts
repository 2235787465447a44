import type { Resource } from '@crm-sync/core';
import { publishInTransaction } from '@crm-sync/outbox';
import { QUEUE_NAMES } from '@crm-sync/queue';
import { writeAudit } from './audit';
import type { ConnectionsDeps } from './deps';
import { getConnection } from './queries';

type Deps = Pick<ConnectionsDeps, 'db' | 'now'>;

export type RequestOutcome = { kind: 'accepted'; eventId: string } | { kind: 'not_found' };

/**
 * Asks the lifecycle worker to disconnect (revoke at the provider, delete tokens and, with `purge`, the synced
 * data). The request's audit entry and its event are written in one transaction; the outbox relay hands the event
 * to the worker (packages/outbox), so an accepted request is never lost to a Redis outage.
 */
export async function requestDisconnect(
  deps: Deps,
  input: { tenantId: string; connectionId: string; purge: boolean; actor: string },
): Promise<RequestOutcome> {
  if (!(await getConnection(deps.db, input.tenantId, input.connectionId))) return { kind: 'not_found' };
  const eventId = await deps.db.transaction(async (manager) => {
    if (input.purge) {
      await writeAudit(manager, {
        connectionId: input.connectionId,
        tenantId: input.tenantId,
        type: 'purge_requested',
        actor: input.actor,
      });
    }
    return publishInTransaction(
      manager,
      QUEUE_NAMES.connectionEvents,
      {
        type: 'connection.disconnect_requested',
        tenantId: input.tenantId,
        connectionId: input.connectionId,
        purge: input.purge,
      },
      deps.now?.(),
    );
  });
  return { kind: 'accepted', eventId };
}

export async function requestSync(
  deps: Deps,
  input: { tenantId: string; connectionId: string; full: boolean; resources?: Resource[] },
): Promise<RequestOutcome> {
  if (!(await getConnection(deps.db, input.tenantId, input.connectionId))) return { kind: 'not_found' };
  const eventId = await publishInTransaction(
    deps.db.manager,
    QUEUE_NAMES.connectionEvents,
    {
      type: 'sync.requested',
      tenantId: input.tenantId,
      connectionId: input.connectionId,
      full: input.full,
      ...(input.resources && { resources: input.resources }),
    },
    deps.now?.(),
  );
  return { kind: 'accepted', eventId };
}
