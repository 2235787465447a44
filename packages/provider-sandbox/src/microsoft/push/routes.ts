import { randomUUID } from 'node:crypto';
import { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireAuth } from '../../core/hooks';
import { type RouteMeta, type SandboxContext } from '../../core/types';
import { sendGraphError } from '../graph/reply';
import { type GraphSubscription, type GraphSubscriptionStore } from './store';
import { validateEndpoint } from './validate';

// Graph subscriptions (https://learn.microsoft.com/graph/api/resources/subscription, and its create, update,
// delete and reauthorize pages): Outlook messages, events and contacts of the signed-in user.

/** Outlook message, event and contact subscriptions without resource data: 10,080 minutes (provider-facts-2.md item 6). */
export const GRAPH_OUTLOOK_MAX_MINUTES = 10_080;
const MAX_MS = GRAPH_OUTLOOK_MAX_MINUTES * 60_000;

/** The Graph resource paths the sandbox accepts, and the dataset each watches. */
const DATASETS: Record<string, string> = {
  'me/messages': 'messages',
  'me/events': 'events',
  'me/contacts': 'contacts',
};

const CHANGE_TYPES = ['created', 'updated', 'deleted'] as const;

const createSchema = z.object({
  changeType: z.string().min(1),
  notificationUrl: z.url(),
  lifecycleNotificationUrl: z.url().optional(),
  resource: z.string().min(1),
  expirationDateTime: z.iso.datetime({ offset: true }),
  // "Maximum length is 128 characters" (subscription resource, clientState).
  clientState: z.string().max(128).optional(),
});
const renewSchema = z.object({ expirationDateTime: z.iso.datetime({ offset: true }) });

const meta = (routeId: string): RouteMeta => ({ provider: 'microsoft', routeId, auth: true, quotaUnits: 1 });

/** The subscription as Graph renders it. */
function render(ctx: SandboxContext, subscription: GraphSubscription) {
  return {
    '@odata.context': `${ctx.urls.microsoft}/v1.0/$metadata#subscriptions/$entity`,
    id: subscription.id,
    resource: subscription.resource,
    applicationId: 'sandbox-application',
    changeType: [...subscription.changeTypes].join(','),
    clientState: subscription.clientState,
    notificationUrl: subscription.notificationUrl,
    lifecycleNotificationUrl: subscription.lifecycleNotificationUrl,
    expirationDateTime: new Date(subscription.expiresAt).toISOString(),
    creatorId: subscription.accountId,
    latestSupportedTlsVersion: 'v1_2',
  };
}

export function registerSubscriptions(
  app: FastifyInstance,
  ctx: SandboxContext,
  store: GraphSubscriptionStore,
): void {
  /** The expiry asked for, or the reason Graph refuses it. */
  const expiryOf = (iso: string): number | string => {
    const at = Date.parse(iso);
    const now = ctx.clock.now();
    if (at <= now) return 'Subscription expiration must be in the future.';
    if (at > now + MAX_MS)
      return `Subscription expiration can only be ${GRAPH_OUTLOOK_MAX_MINUTES} minutes in the future.`;
    return at;
  };

  app.post(
    '/v1.0/subscriptions',
    { config: { sandbox: meta('graph.subscriptions.create') } },
    async (request, reply) => {
      const { account } = requireAuth(request);
      const body = createSchema.safeParse(request.body);
      if (!body.success) return sendGraphError(reply, ctx.clock, 'ErrorInvalidRequest');
      const dataset = DATASETS[body.data.resource.replace(/^\/+/, '').toLowerCase()];
      if (!dataset)
        return sendGraphError(reply, ctx.clock, 'ErrorInvalidRequest', {
          message: 'Resource not found for the segment.',
        });
      const types = body.data.changeType.split(',').map((t) => t.trim());
      if (!types.every((t) => (CHANGE_TYPES as readonly string[]).includes(t)))
        return sendGraphError(reply, ctx.clock, 'ErrorInvalidRequest', { message: 'Invalid changeType.' });
      const expiresAt = expiryOf(body.data.expirationDateTime);
      if (typeof expiresAt === 'string')
        return sendGraphError(reply, ctx.clock, 'ErrorInvalidRequest', { message: expiresAt });
      // Both URLs are validated before the subscription exists; a failed handshake creates nothing.
      for (const url of [body.data.notificationUrl, body.data.lifecycleNotificationUrl]) {
        if (url && !(await validateEndpoint(url)).ok)
          return sendGraphError(reply, ctx.clock, 'ValidationError');
      }
      const subscription: GraphSubscription = {
        id: randomUUID(),
        accountId: account.id,
        resource: body.data.resource,
        dataset,
        changeTypes: new Set(types as Array<(typeof CHANGE_TYPES)[number]>),
        notificationUrl: body.data.notificationUrl,
        lifecycleNotificationUrl: body.data.lifecycleNotificationUrl ?? null,
        clientState: body.data.clientState ?? null,
        expiresAt,
      };
      store.byId.set(subscription.id, subscription);
      return reply.code(201).send(render(ctx, subscription));
    },
  );

  /** The caller's own live subscription, or a 404 as Graph answers. */
  const owned = (accountId: string, id: string) => {
    const subscription = store.byId.get(id);
    if (!subscription || subscription.accountId !== accountId) return undefined;
    if (subscription.expiresAt <= ctx.clock.now()) {
      store.byId.delete(id);
      return undefined;
    }
    return subscription;
  };

  app.get<{ Params: { id: string } }>(
    '/v1.0/subscriptions/:id',
    { config: { sandbox: meta('graph.subscriptions.get') } },
    async (request, reply) => {
      const subscription = owned(requireAuth(request).account.id, request.params.id);
      if (!subscription) return sendGraphError(reply, ctx.clock, 'ErrorItemNotFound');
      return render(ctx, subscription);
    },
  );

  app.patch<{ Params: { id: string } }>(
    '/v1.0/subscriptions/:id',
    { config: { sandbox: meta('graph.subscriptions.update') } },
    async (request, reply) => {
      const subscription = owned(requireAuth(request).account.id, request.params.id);
      if (!subscription) return sendGraphError(reply, ctx.clock, 'ErrorItemNotFound');
      const body = renewSchema.safeParse(request.body);
      if (!body.success) return sendGraphError(reply, ctx.clock, 'ErrorInvalidRequest');
      const expiresAt = expiryOf(body.data.expirationDateTime);
      if (typeof expiresAt === 'string')
        return sendGraphError(reply, ctx.clock, 'ErrorInvalidRequest', { message: expiresAt });
      subscription.expiresAt = expiresAt;
      return render(ctx, subscription);
    },
  );

  // Answered 204 No Content on success (reauthorize page, _unconfirmed_ beyond the reference's example).
  app.post<{ Params: { id: string } }>(
    '/v1.0/subscriptions/:id/reauthorize',
    { config: { sandbox: meta('graph.subscriptions.reauthorize') } },
    async (request, reply) => {
      const subscription = owned(requireAuth(request).account.id, request.params.id);
      if (!subscription) return sendGraphError(reply, ctx.clock, 'ErrorItemNotFound');
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/v1.0/subscriptions/:id',
    { config: { sandbox: meta('graph.subscriptions.delete') } },
    async (request, reply) => {
      const subscription = owned(requireAuth(request).account.id, request.params.id);
      if (!subscription) return sendGraphError(reply, ctx.clock, 'ErrorItemNotFound');
      store.byId.delete(subscription.id);
      return reply.code(204).send();
    },
  );
}
