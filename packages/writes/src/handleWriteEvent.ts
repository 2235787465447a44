import type { ConnectionEvent } from '@crm-sync/core';
import { acceptWrite } from './accept';
import { applyWrites, type ApplyOptions, type ApplyResult } from './apply';
import type { ApplyDeps } from './deps';

export type WriteEvent = Extract<ConnectionEvent, { type: 'write.requested' | 'write.accepted' }>;

export const isWriteEvent = (event: ConnectionEvent): event is WriteEvent =>
  event.type === 'write.requested' || event.type === 'write.accepted';

/**
 * The connection-events queue's write events: a CRM service's `write.requested` is accepted as the HTTP route
 * would (same idempotency) and applied; connect-api's `write.accepted` is applied. Both are safe to redeliver: a
 * finished write is not applied again.
 */
export async function handleWriteEvent(
  deps: ApplyDeps,
  event: WriteEvent,
  options: ApplyOptions,
): Promise<ApplyResult> {
  if (event.type === 'write.accepted') {
    const rows = (await deps.db.query(
      `SELECT 1 FROM writes WHERE id = $1 AND tenant_id = $2 AND connection_id = $3`,
      [event.writeId, event.tenantId, event.connectionId],
    )) as unknown[];
    if (rows.length === 0) return { handled: 'ignored', reason: 'no such write of that tenant' };
    return applyWrites(deps, event.writeId, options);
  }
  const accepted = await acceptWrite(deps, {
    tenantId: event.tenantId,
    connectionId: event.connectionId,
    requestedBy: 'queue',
    idempotencyKey: event.idempotencyKey,
    write: event.write,
    announce: false,
  });
  if (accepted.kind !== 'accepted') return { handled: 'ignored', reason: accepted.kind };
  return applyWrites(deps, accepted.writeId, options);
}
