import { receiveDelivery, type DeliveryOutcome } from '@crm-sync/connections';
import { NoticeRefusedError, type Provider, type VerifiedDelivery } from '@crm-sync/core';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context';

/**
 * Hands a verified delivery to connections (replay claim, revocations carried out, `connection-events` for the
 * worker recorded in the outbox, in one transaction) and logs what it did: provider, event kinds, actions and connection ids, never the
 * notice itself.
 */
export async function receive(
  ctx: AppContext,
  request: FastifyRequest,
  delivery: VerifiedDelivery,
): Promise<DeliveryOutcome> {
  const outcome = await receiveDelivery(
    {
      db: ctx.deps.db,
      credentials: ctx.deps.credentials,
      generations: ctx.deps.generations,
      now: ctx.deps.now,
    },
    delivery,
  );
  if (outcome.kind === 'replayed') {
    request.log.warn({ provider: delivery.provider, refusal: 'replayed' }, 'provider notice refused');
  } else {
    request.log.info({ provider: delivery.provider, notices: outcome.notices }, 'provider notice accepted');
  }
  return outcome;
}

/** Logs a refused notice by reason only (no token, signature or body: they may be replayable secrets). */
export function logRefusal(request: FastifyRequest, provider: Provider, error: NoticeRefusedError): void {
  request.log.warn({ provider, refusal: error.refusal, reason: error.message }, 'provider notice refused');
}

export { NoticeRefusedError };
