import type { ConnectionEvent } from '@crm-sync/core';
import { triggerSync, type SyncIntervals } from '@crm-sync/scheduling';
import { recordDeletionRequest, runDeletion, type DeletionDeps } from '../deletion';
import { disconnectConnection, endConnection, revocation } from '../lifecycle';

/** Sync requests enqueue their syncs at once through the deletion deps' producer (scheduling's `triggerSync`). */
export interface EventDeps extends DeletionDeps {
  intervals: SyncIntervals;
  batchSize: number;
}

/** The events this handler decides; write-back's events are packages/writes' (the worker routes them). */
export type LifecycleEvent = Exclude<ConnectionEvent, { type: 'write.requested' | 'write.accepted' }>;

/** What handling an event did, for the job's return value and logs. */
export type EventResult =
  | { handled: 'sync_triggered'; enqueued: number }
  | { handled: 'disconnected'; changed: boolean; revoke: string }
  | { handled: 'revoked'; changed: boolean }
  | { handled: 'deleted'; deletionRequestId: string; connections: number }
  | { handled: 'ignored'; reason: string };

/**
 * One place that decides what each `connection-events` event does. Every branch is idempotent, because the
 * queue delivers at least once.
 */
export async function handleConnectionEvent(deps: EventDeps, event: LifecycleEvent): Promise<EventResult> {
  switch (event.type) {
    case 'connection.connected':
      return {
        handled: 'sync_triggered',
        ...(await triggerSync(deps, { connectionId: event.connectionId, full: false })),
      };
    case 'sync.requested':
      return {
        handled: 'sync_triggered',
        ...(await triggerSync(deps, {
          connectionId: event.connectionId,
          resources: event.resources,
          full: event.full,
        })),
      };
    case 'connection.disconnect_requested': {
      const outcome = await disconnectConnection(deps, {
        connectionId: event.connectionId,
        tenantId: event.tenantId,
        purge: event.purge,
        actor: `event:${event.eventId}`,
      });
      if (outcome.kind === 'not_found')
        return { handled: 'ignored', reason: 'no such connection for the tenant' };
      return { handled: 'disconnected', changed: outcome.changed, revoke: outcome.revoke };
    }
    case 'token.revoked': {
      const changed = await endConnection(deps, revocation(event.connectionId, event.source));
      return { handled: 'revoked', changed };
    }
    case 'user.deleted':
    case 'tenant.deleted':
      return deleteOnRequest(deps, event);
  }
}

/**
 * Records the deletion request (the event id names it when connect-api did not record it first) and runs its
 * purge to the end; a redelivered event resumes the same request.
 */
async function deleteOnRequest(
  deps: EventDeps,
  event: Extract<ConnectionEvent, { type: 'user.deleted' | 'tenant.deleted' }>,
): Promise<EventResult> {
  const request = await recordDeletionRequest(deps.db, {
    id: event.deletionRequestId ?? event.eventId,
    tenantId: event.tenantId,
    crmUserId: event.type === 'user.deleted' ? event.crmUserId : null,
    requestedBy: `event:${event.eventId}`,
  });
  if (request === 'conflict')
    return { handled: 'ignored', reason: 'deletion request is for another subject' };
  const done = await runDeletion(deps, request.id);
  return { handled: 'deleted', deletionRequestId: done.id, connections: done.connectionIds.length };
}
