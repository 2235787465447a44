import { createHash } from 'node:crypto';
import { NoticeRefusedError, type NoticeAction, type VerifiedDelivery } from '@crm-sync/core';
import { z } from 'zod';
import { connectionOfClientState } from './clientState';

// Graph lifecycle notifications (https://learn.microsoft.com/graph/change-notifications-lifecycle-events): a POST of
// `{ value: [ { subscriptionId, subscriptionExpirationDateTime, tenantId, clientState, lifecycleEvent } ] }` to the
// subscription's lifecycleNotificationUrl. Graph retries an undelivered notification for up to 4 hours
// (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks).

/**
 * - reauthorizationRequired: Graph wants `POST /subscriptions/{id}/reauthorize`: the push keeper does it (and renews)
 *   at its next pass (GRAPH_CHANNEL_EFFECTS); nothing to sync.
 * - subscriptionRemoved: recreate the subscription (the keeper opens a new one) and resync; the resync is a full round
 *   of the subscription's resource (of every resource when the subscription is not one of ours on record).
 * - missed: some change notifications were not delivered; an incremental (delta) round catches up.
 */
export const GRAPH_LIFECYCLE_ACTIONS = {
  reauthorizationRequired: 'record',
  subscriptionRemoved: 'resync',
  missed: 'sync',
} as const satisfies Record<string, NoticeAction>;

/** What each lifecycle event does to the push channel it names (docs/push.md). */
export const GRAPH_CHANNEL_EFFECTS = {
  reauthorizationRequired: 'renew',
  subscriptionRemoved: 'reopen',
  missed: 'none',
} as const;

/** A replayed delivery is recognised for longer than Graph keeps retrying one. */
export const GRAPH_REPLAY_TTL_MS = 5 * 60 * 60 * 1000;

const notificationSchema = z.object({
  subscriptionId: z.string().min(1).max(200),
  subscriptionExpirationDateTime: z.string().max(64).optional(),
  tenantId: z.string().max(100).optional(),
  clientState: z.string().max(128).optional(),
  lifecycleEvent: z.enum(Object.keys(GRAPH_LIFECYCLE_ACTIONS) as [keyof typeof GRAPH_LIFECYCLE_ACTIONS]),
});
const bodySchema = z.object({ value: z.array(notificationSchema).min(1).max(1000) });

/**
 * Verifies a lifecycle notification delivery: every item must carry a clientState made with our key, or the whole
 * delivery is refused (a forged item is not half-accepted).
 */
export function verifyGraphLifecycle(clientStateKey: string, rawBody: string): VerifiedDelivery {
  let parsed: z.infer<typeof bodySchema>;
  try {
    parsed = bodySchema.parse(JSON.parse(rawBody));
  } catch {
    throw new NoticeRefusedError('malformed', 'not a Graph lifecycle notification collection');
  }
  const notices = parsed.value.map((item) => {
    const connectionId = item.clientState && connectionOfClientState(clientStateKey, item.clientState);
    if (!connectionId) throw new NoticeRefusedError('bad_signature', 'clientState does not match');
    return {
      kind: item.lifecycleEvent,
      action: GRAPH_LIFECYCLE_ACTIONS[item.lifecycleEvent],
      target: { kind: 'connection' as const, connectionId },
      channel: { channelId: item.subscriptionId, effect: GRAPH_CHANNEL_EFFECTS[item.lifecycleEvent] },
    };
  });
  return {
    provider: 'microsoft',
    replayKey: createHash('sha256').update(rawBody).digest('base64url'),
    replayTtlMs: GRAPH_REPLAY_TTL_MS,
    notices,
  };
}

/**
 * Graph's validation request (`POST …?validationToken=…`, on subscribing and for the lifecycle URL): the answer is
 * the token, URL-decoded, as text/plain within 10 seconds. Returns the token, or null when the request is not one.
 */
export function graphValidationToken(query: unknown): string | null {
  const token = z.object({ validationToken: z.string().min(1).max(1024) }).safeParse(query);
  return token.success ? token.data.validationToken : null;
}
