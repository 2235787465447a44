import { z } from 'zod';
import { deliver } from '../../core/deliver';
import { DEFAULT_CLIENT, SandboxNotFoundError, type ProviderControlOp } from '../../core/types';
import { signedWebhookRequest } from './signing';

const emitSpec = z.strictObject({
  /** The app's webhook target URL. */
  url: z.url(),
  /** The app whose client secret signs (HubSpot signs with the app's client secret). */
  clientId: z.string().default(DEFAULT_CLIENT.clientId),
  events: z
    .array(z.strictObject({ subscriptionType: z.string().min(1), objectId: z.number().int().default(1) }))
    .min(1)
    .max(100),
  /** Faults a receiver must refuse: a stamp this many ms in the past, a signature with another secret. */
  ageMs: z.number().int().default(0),
  signWithSecret: z.string().optional(),
});

/**
 * `POST /__sandbox/accounts/hubspot/:accountId/ops/webhook`: a webhook delivery as HubSpot sends it: a JSON array of
 * events for the account's portal, signed v3 (base64 HMAC-SHA256 of method + URL + body + timestamp with the
 * client secret, https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation).
 * Answers the receiver's reply and the exact request, so a test can send it again.
 */
export const webhookEmitOp: ProviderControlOp = async (ctx, account, body) => {
  const spec = emitSpec.parse(body);
  const client = ctx.clients.get(spec.clientId);
  if (!client) throw new SandboxNotFoundError(`no client ${spec.clientId}`);
  const now = ctx.clock.now();
  const payload = JSON.stringify(
    spec.events.map((event, i) => ({
      eventId: now * 100 + i,
      subscriptionId: 1000 + i,
      portalId: Number(account.id),
      appId: 1,
      occurredAt: now,
      subscriptionType: event.subscriptionType,
      attemptNumber: 0,
      objectId: event.objectId,
      changeSource: 'CRM',
    })),
  );
  const { headers } = signedWebhookRequest(
    spec.url,
    payload,
    spec.signWithSecret ?? client.clientSecret,
    now - spec.ageMs,
  );
  const reply = await deliver(spec.url, { headers, body: payload });
  return { ...reply, request: { url: spec.url, headers, body: payload } };
};
