import { QUEUE_NAMES } from '@crm-sync/queue';
import { randomUUID } from 'node:crypto';
import type { ConnectionsDeps } from '../deps';
import { recordDeletionRequest, type DeletionSubject } from './requests';

type Deps = Pick<ConnectionsDeps, 'db' | 'producer' | 'now'>;

/**
 * Records a deletion request and asks the worker to run it. The request is stored first, so the status endpoint
 * knows it at once and a lost publish (Redis down) leaves a pending request that the scheduler's sweep sends
 * again (`resumeStaleDeletions`), never a forgotten one.
 */
export async function requestDeletion(
  deps: Deps,
  input: DeletionSubject & { actor: string },
): Promise<{ deletionRequestId: string }> {
  const id = randomUUID();
  const stored = await recordDeletionRequest(deps.db, { ...input, id, requestedBy: input.actor });
  if (stored === 'conflict') throw new Error(`fresh deletion request id ${id} already exists`);
  await publishDeletion(deps, { id, tenantId: input.tenantId, crmUserId: input.crmUserId });
  return { deletionRequestId: id };
}

/** The event that makes a worker run (or resume) a recorded request. */
export async function publishDeletion(
  deps: Pick<Deps, 'producer' | 'now'>,
  request: { id: string; tenantId: string; crmUserId: string | null },
): Promise<void> {
  const base = { tenantId: request.tenantId, deletionRequestId: request.id };
  await deps.producer.publish(
    QUEUE_NAMES.connectionEvents,
    request.crmUserId === null
      ? { ...base, type: 'tenant.deleted' }
      : { ...base, type: 'user.deleted', crmUserId: request.crmUserId },
    deps.now?.(),
  );
}
