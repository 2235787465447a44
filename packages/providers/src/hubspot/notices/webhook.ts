import {
  NoticeRefusedError,
  type Resource,
  type VerifiedDelivery,
  type VerifiedNotice,
} from '@crm-sync/core';
import { type HubSpotObjectType } from '../descriptor';
import { z } from 'zod';
import { HUBSPOT_SIGNATURE_WINDOW_MS, verifyHubSpotSignature, type SignedHubSpotRequest } from './signature';

// HubSpot webhooks v3 deliver a JSON array of up to 100 events, each with the portal (account) it comes from and a
// `subscriptionType` such as `contact.propertyChange`, `company.deletion` or `deal.associationChange`; the generic
// `object.*` types name the object type by `objectTypeId` (`0-1` contacts, `0-2` companies, `0-3` deals)
// (https://developers.hubspot.com/docs/api/webhooks, "Webhook payloads"; docs/providers/hubspot.md#webhooks). The
// classic webhooks have no app-uninstall event (docs/providers/notices.md). An event of a synced object type asks for
// one incremental round of that resource for the portal's connections (docs/push.md); other events (tickets,
// conversations) ask for nothing.

const eventSchema = z.object({
  eventId: z.union([z.number(), z.string()]),
  subscriptionType: z.string().min(1).max(100),
  portalId: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]),
  occurredAt: z.number().optional(),
  objectTypeId: z.string().max(20).optional(),
});
const bodySchema = z.array(eventSchema).min(1).max(1000);

const RESOURCE_OF_OBJECT: Readonly<Record<string, HubSpotObjectType>> = {
  contact: 'contacts',
  company: 'companies',
  deal: 'deals',
  '0-1': 'contacts',
  '0-2': 'companies',
  '0-3': 'deals',
};

/** The synced resource an event is about, if any. */
export function resourceOfEvent(event: {
  subscriptionType: string;
  objectTypeId?: string;
}): Resource | undefined {
  const object = event.subscriptionType.split('.')[0] ?? '';
  return RESOURCE_OF_OBJECT[object === 'object' ? (event.objectTypeId ?? '') : object];
}

/**
 * Checks the v3 signature (throws NoticeRefusedError) and turns the events into one notice per portal and resource:
 * duplicates and order inside the batch do not matter, as each notice only asks for a round from the stored cursor.
 * The signature is the replay key: it covers the body and the timestamp, so the same request sent again inside the
 * 5-minute window is recognised, and one sent later is stale.
 */
export function verifyHubSpotWebhook(
  clientSecret: string,
  request: SignedHubSpotRequest,
  now: Date,
): VerifiedDelivery {
  verifyHubSpotSignature(clientSecret, request, now);
  let events: z.infer<typeof bodySchema>;
  try {
    events = bodySchema.parse(JSON.parse(request.body));
  } catch {
    throw new NoticeRefusedError('malformed', 'not a HubSpot webhook event array');
  }
  const notices = new Map<string, VerifiedNotice>();
  for (const event of events) {
    const portalId = String(event.portalId);
    const resource = resourceOfEvent(event);
    const key = `${portalId} ${resource ?? event.subscriptionType}`;
    if (notices.has(key)) continue;
    const target = { kind: 'account' as const, providerAccountId: portalId };
    notices.set(
      key,
      resource
        ? { kind: event.subscriptionType, action: 'sync', target, resource }
        : { kind: event.subscriptionType, action: 'record', target },
    );
  }
  return {
    provider: 'hubspot',
    replayKey: request.signature!,
    // Twice the window: a stamp up to 5 minutes in the future is accepted for up to 10 minutes.
    replayTtlMs: 2 * HUBSPOT_SIGNATURE_WINDOW_MS,
    notices: [...notices.values()],
  };
}
