import { z } from 'zod';
import { pushPlanOp } from '../../core/pushPlan';
import { DEFAULT_CLIENT, SandboxNotFoundError, type ProviderControlOp } from '../../core/types';
import { appIdOf } from '../oauth/tokenInfo';
import { EVENT_OBJECT } from './events';
import { type HubSpotWebhookStore } from './store';

const eventType = z
  .string()
  .regex(
    new RegExp(
      `^(${Object.values(EVENT_OBJECT).join('|')})\\.(creation|deletion|propertyChange|associationChange)$`,
    ),
    'a contact, company or deal creation, deletion, propertyChange or associationChange',
  );

const settingsSpec = z.strictObject({
  clientId: z.string().default(DEFAULT_CLIENT.clientId),
  targetUrl: z.url(),
  subscriptions: z
    .array(z.strictObject({ eventType, propertyName: z.string().min(1).optional() }))
    .refine(
      (list) => list.every((s) => s.eventType.endsWith('.propertyChange') === (s.propertyName !== undefined)),
      'a propertyChange subscription names its property, the others none (the Webhooks API’s rule)',
    ),
  retryBaseMs: z.number().int().min(0).max(3_600_000).default(60_000),
});

/**
 * Control operations of HubSpot's webhooks: the app's settings and subscriptions (sandbox-wide, as the operator sets
 * them for the app in the developer account), the push plan, and the requests sent for an account's portal.
 */
export function hubspotWebhookOps(store: HubSpotWebhookStore): Record<string, ProviderControlOp> {
  return {
    pushPlan: pushPlanOp(store),
    /** `POST …/ops/webhookSettings` { clientId?, targetUrl, subscriptions, retryBaseMs? }; an empty list stops them. */
    webhookSettings: (ctx, _account, body) => {
      const spec = settingsSpec.parse(body);
      if (!ctx.clients.get(spec.clientId)) throw new SandboxNotFoundError(`no client ${spec.clientId}`);
      const app = {
        clientId: spec.clientId,
        appId: appIdOf(spec.clientId),
        targetUrl: spec.targetUrl,
        subscriptions: spec.subscriptions.map((s, i) => ({
          id: i + 1,
          eventType: s.eventType,
          propertyName: s.propertyName ?? null,
        })),
        retryBaseMs: spec.retryBaseMs,
      };
      store.apps.set(spec.clientId, app);
      return app;
    },
    /** `POST …/ops/webhookLog`: the requests sent (or dropped) for the account's portal, oldest first. */
    webhookLog: (_ctx, account) => ({ sent: store.sent.filter((s) => String(s.portalId) === account.id) }),
  };
}
