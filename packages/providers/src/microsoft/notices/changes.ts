import { createHash } from 'node:crypto';
import { NoticeRefusedError, pushSecretDigest, type VerifiedDelivery } from '@crm-sync/core';
import { z } from 'zod';
import { connectionOfClientState } from './clientState';
import { GRAPH_REPLAY_TTL_MS } from './lifecycle';

// Graph change notifications (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks; the
// changeNotification resource): a POST of `{ value: [ { subscriptionId, subscriptionExpirationDateTime, changeType,
// resource, resourceData, clientState, tenantId } ] }` to the subscription's notificationUrl, to be answered 2xx
// within 3 seconds. The notification says what changed but carries no data (no resource data was asked for): it
// only starts an incremental round of the subscription's resource, whose delta link reads the change.

const notificationSchema = z.object({
  subscriptionId: z.string().min(1).max(200),
  clientState: z.string().max(128).optional(),
  changeType: z.enum(['created', 'updated', 'deleted']),
  resource: z.string().max(2000).optional(),
});
const bodySchema = z.object({ value: z.array(notificationSchema).min(1).max(1000) });

/**
 * Verifies a change notification delivery: every item's clientState must be one we made (HMAC, constant time,
 * notices/clientState.ts), or the whole delivery is refused; each item then names its channel by subscription id,
 * with the SHA-256 of the clientState for the receiver to compare with the channel's stored digest.
 */
export function verifyGraphChanges(clientStateKey: string, rawBody: string): VerifiedDelivery {
  let parsed: z.infer<typeof bodySchema>;
  try {
    parsed = bodySchema.parse(JSON.parse(rawBody));
  } catch {
    throw new NoticeRefusedError('malformed', 'not a Graph change notification collection');
  }
  const notices = parsed.value.map((item) => {
    if (!item.clientState || !connectionOfClientState(clientStateKey, item.clientState))
      throw new NoticeRefusedError('bad_signature', 'clientState does not match');
    return {
      kind: item.changeType,
      action: 'sync' as const,
      target: {
        kind: 'channel' as const,
        channelId: item.subscriptionId,
        secretDigest: pushSecretDigest(item.clientState),
      },
    };
  });
  return {
    provider: 'microsoft',
    replayKey: createHash('sha256').update(rawBody).digest('base64url'),
    replayTtlMs: GRAPH_REPLAY_TTL_MS,
    notices,
  };
}
