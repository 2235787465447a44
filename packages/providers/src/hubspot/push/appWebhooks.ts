import {
  type OpenedPushChannel,
  type ProviderIdentity,
  type PushChannelRef,
  type PushChannelRequest,
  type ResourcePush,
} from '@crm-sync/core';

// HubSpot webhooks are the app's, not a connection's (docs/providers/hubspot.md#webhooks): the operator subscribes
// the app to its object events in the developer account, and every portal that installs the app gets them. There is
// no per-connection subscription to open, renew or stop. What the keeper's channel row records instead is that this
// connection's resource is covered by the app's subscription (HUBSPOT_WEBHOOK_RESOURCES, the operator's statement),
// confirmed at each opening and renewal by asking HubSpot about the connection's installation (the access-token
// metadata: a portal that uninstalled the app, or a dead grant, fails it and the resource goes back to its normal
// poll). The receiver is then `POST /v1/webhooks/hubspot`, which finds connections by portal.

/**
 * The recorded lifetime of a coverage row: a day, so the keeper (renewing within PUSH_RENEW_BEFORE_MS, default a
 * day) re-confirms the installation about daily and a setting removed takes effect within a day.
 */
export const HUBSPOT_COVERAGE_RECORDED_MS = 2 * 86_400_000;

/** Push for one HubSpot object resource through the app's webhook subscriptions. */
export function createAppWebhookPush(
  identity: (accessToken: string) => Promise<ProviderIdentity>,
): ResourcePush {
  return {
    maxLifetimeMs: HUBSPOT_COVERAGE_RECORDED_MS,
    async open(request: PushChannelRequest): Promise<OpenedPushChannel> {
      await identity(request.accessToken);
      // HubSpot names no channel (its events name the portal): our channel id only keys the row.
      return { channelId: request.channelId, providerResourceId: null, expiresAt: request.expiresAt };
    },
    async renew(accessToken: string, _channel: PushChannelRef, expiresAt: Date) {
      await identity(accessToken);
      return { expiresAt };
    },
    // Nothing of this connection's is held at HubSpot: the app's subscriptions go on for its other portals, and this
    // portal's events, once the connection ends, find no live connection (logged and counted by connect-api).
    stop: async () => undefined,
  };
}
