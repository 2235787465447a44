import {
  ClassifiedProviderError,
  type OpenedPushChannel,
  type PushChannelRef,
  type PushChannelRequest,
  type Resource,
  type ResourcePush,
  type ResourcePushers,
} from '@crm-sync/core';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import type { GraphAccess } from '../client';
import { classifyMicrosoftError } from '../errors';
import { graphClientState } from '../notices/clientState';
import { pushCall } from '../../shared/pushCall';

// Graph change-notification subscriptions (docs/providers/microsoft.md#change-notification-subscriptions):
// `POST /subscriptions` { changeType, notificationUrl, lifecycleNotificationUrl, resource, expirationDateTime,
// clientState } answers 201 with the subscription (id, expirationDateTime); `PATCH /subscriptions/{id}`
// { expirationDateTime } renews; `POST /subscriptions/{id}/reauthorize` answers a reauthorizationRequired;
// `DELETE /subscriptions/{id}` stops (https://learn.microsoft.com/graph/api/resources/subscription).

/**
 * Outlook messages, events and contacts: a subscription without resource data may live 10,080 minutes (under 7 days)
 * in the current reference, 4,230 minutes in older versions of it (provider-facts-2.md item 6). We ask for at most
 * 4,200 minutes, valid under both, and renew well before (docs/push.md).
 */
export const GRAPH_OUTLOOK_SUBSCRIPTION_MAX_MS = 4_200 * 60_000;

/** The Graph resource each synced resource subscribes to: the signed-in user's items, every folder. */
const GRAPH_RESOURCES: Partial<Record<Resource, string>> = {
  mail: '/me/messages',
  calendar: '/me/events',
  contacts: '/me/contacts',
};

const subscriptionSchema = z.object({ id: z.string().min(1).max(200), expirationDateTime: z.iso.datetime() });

/** A Graph call of a subscription, its failure classified as Graph's. */
const call = <T>(work: () => Promise<unknown>, schema: z.ZodType<T>, what: string) =>
  pushCall(work, schema, `Graph ${what}`, classifyMicrosoftError);

const nothing = z.unknown();

function subscriptionPush(access: GraphAccess, resource: string, clientStateKey: string): ResourcePush {
  return {
    maxLifetimeMs: GRAPH_OUTLOOK_SUBSCRIPTION_MAX_MS,
    // The lifecycle receiver verifies it without a lookup (notices/clientState.ts).
    secretFor: (connectionId) => graphClientState(clientStateKey, connectionId),
    async open(request: PushChannelRequest): Promise<OpenedPushChannel> {
      const body = {
        changeType: 'created,updated,deleted',
        notificationUrl: request.notificationUrl,
        lifecycleNotificationUrl: request.lifecycleUrl,
        resource,
        expirationDateTime: request.expiresAt.toISOString(),
        clientState: request.secret,
      };
      const created = await call(
        () => access.clientFor(request.accessToken).api('/subscriptions').post(body),
        subscriptionSchema,
        'create subscription',
      );
      return {
        channelId: created.id,
        providerResourceId: null,
        expiresAt: new Date(created.expirationDateTime),
      };
    },
    async renew(accessToken: string, channel: PushChannelRef, expiresAt: Date) {
      const renewed = await call(
        () =>
          access
            .clientFor(accessToken)
            .api(`/subscriptions/${encodeURIComponent(channel.channelId)}`)
            .patch({ expirationDateTime: expiresAt.toISOString() }),
        subscriptionSchema,
        'renew subscription',
      );
      return { expiresAt: new Date(renewed.expirationDateTime) };
    },
    async reauthorize(accessToken: string, channel: PushChannelRef) {
      await call(
        () =>
          access
            .clientFor(accessToken)
            .api(`/subscriptions/${encodeURIComponent(channel.channelId)}/reauthorize`)
            .post({}),
        nothing,
        'reauthorize subscription',
      );
    },
    async stop(accessToken: string, channel: PushChannelRef) {
      try {
        await access
          .clientFor(accessToken)
          .api(`/subscriptions/${encodeURIComponent(channel.channelId)}`)
          .delete();
      } catch (error) {
        // Already gone (expired, removed by Graph): stopped is what we wanted.
        if (error instanceof GraphError && error.statusCode === 404) return;
        throw new ClassifiedProviderError(classifyMicrosoftError(error), 'Graph delete subscription failed');
      }
    },
  };
}

/** Subscriptions for the resources Graph pushes: mail, calendar, contacts (To Do is polled). */
export function createGraphPush(access: GraphAccess, clientStateKey: string): ResourcePushers {
  const pushers: ResourcePushers = {};
  for (const [resource, path] of Object.entries(GRAPH_RESOURCES) as Array<[Resource, string]>) {
    pushers[resource] = subscriptionPush(access, path, clientStateKey);
  }
  return pushers;
}
