import { receiveDelivery, type DeliveryOutcome, type HandledNotice } from '@crm-sync/connections';
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
    countUnmatched(ctx, request, delivery.provider, outcome.notices);
  }
  return outcome;
}

/**
 * A notice that names an account or a token and finds no live connection: a user who already disconnected, or a
 * token we no longer hold (rotated, deleted). Logged by kind and counted, so a steady rise (say, token-revoked
 * never matching) shows; the subject itself is never logged.
 */
function countUnmatched(
  ctx: AppContext,
  request: FastifyRequest,
  provider: Provider,
  notices: HandledNotice[],
): void {
  const unmatched = ctx.metrics.counter({
    name: 'crm_sync_provider_notices_unmatched_total',
    help: 'Verified provider notices naming a subject that matched no live connection, by provider and kind',
    labelNames: ['provider', 'kind'],
  });
  for (const notice of notices) {
    if (notice.target === 'none' || notice.connectionIds.length > 0) continue;
    unmatched.inc({ provider, kind: notice.kind });
    request.log.warn(
      { provider, kind: notice.kind, target: notice.target },
      'provider notice matched no connection',
    );
  }
}

/** Logs a refused notice by reason only (no token, signature or body: they may be replayable secrets). */
export function logRefusal(request: FastifyRequest, provider: Provider, error: NoticeRefusedError): void {
  request.log.warn({ provider, refusal: error.refusal, reason: error.message }, 'provider notice refused');
}

export { NoticeRefusedError };
