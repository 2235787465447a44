import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { deliver } from '../../core/deliver';
import { type ProviderControlOp } from '../../core/types';
import { validateEndpoint } from '../push/validate';

const emitSpec = z.strictObject({
  /** The subscription's lifecycleNotificationUrl. */
  url: z.url(),
  lifecycleEvent: z.enum(['reauthorizationRequired', 'subscriptionRemoved', 'missed']),
  /** The clientState the subscription was created with; Graph echoes it unchanged. */
  clientState: z.string().max(128),
  subscriptionId: z
    .string()
    .min(1)
    .default(() => randomUUID()),
  /** Graph validates the URL before it delivers (as on subscribing); false skips that, for a replay test. */
  validate: z.boolean().default(true),
});

/**
 * `POST /__sandbox/accounts/microsoft/:accountId/ops/lifecycle`: what Graph does
 * (https://learn.microsoft.com/graph/change-notifications-lifecycle-events): validate the URL with
 * `?validationToken=` (text/plain POST, empty body; the answer must be 200 text/plain with the token), then POST
 * `{ value: [ lifecycle notification ] }`. A URL that fails validation gets no notification.
 */
export const lifecycleEmitOp: ProviderControlOp = async (ctx, account, body) => {
  const spec = emitSpec.parse(body);
  if (spec.validate) {
    const check = await validateEndpoint(spec.url);
    if (!check.ok) return { validated: false, validation: check.answer };
  }
  const notification = {
    subscriptionId: spec.subscriptionId,
    subscriptionExpirationDateTime: new Date(ctx.clock.now() + 3 * 24 * 3600_000).toISOString(),
    tenantId: `sandbox-tenant-${account.id}`,
    clientState: spec.clientState,
    lifecycleEvent: spec.lifecycleEvent,
  };
  const payload = JSON.stringify({ value: [notification] });
  const reply = await deliver(spec.url, { headers: { 'content-type': 'application/json' }, body: payload });
  return { validated: spec.validate, ...reply, sent: payload };
};
