import { NoticeRefusedError, type VerifiedDelivery } from '@crm-sync/core';
import { z } from 'zod';
import { HUBSPOT_SIGNATURE_WINDOW_MS, verifyHubSpotSignature, type SignedHubSpotRequest } from './signature';

// HubSpot webhooks v3 deliver a JSON array of up to 100 events, each with the portal (account) it comes from and a
// `subscriptionType` such as `contact.propertyChange`, `company.deletion` or `contact.privacyDeletion`
// (https://developers.hubspot.com/docs/api/webhooks, "Webhook payloads"). The classic webhooks have no
// app-uninstall event (docs/providers/notices.md); every CRM object event here means "this portal changed":
// an incremental round for its connections picks the change up (and a privacy deletion, by the next full round).

const eventSchema = z.object({
  eventId: z.union([z.number(), z.string()]),
  subscriptionType: z.string().min(1).max(100),
  portalId: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]),
  occurredAt: z.number().optional(),
});
const bodySchema = z.array(eventSchema).min(1).max(1000);

/**
 * Checks the v3 signature (throws NoticeRefusedError) and turns the events into one incremental-sync notice per
 * portal. The signature is the replay key: it covers the body and the timestamp, so the same request sent again
 * inside the 5-minute window is recognised, and one sent later is stale.
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
  const portals = new Map<string, string>();
  for (const event of events) portals.set(String(event.portalId), event.subscriptionType);
  return {
    provider: 'hubspot',
    replayKey: request.signature!,
    // Twice the window: a stamp up to 5 minutes in the future is accepted for up to 10 minutes.
    replayTtlMs: 2 * HUBSPOT_SIGNATURE_WINDOW_MS,
    notices: [...portals].map(([portalId, kind]) => ({
      kind,
      action: 'sync' as const,
      target: { kind: 'account' as const, providerAccountId: portalId },
    })),
  };
}
