import type { ProvidersConfig } from '@crm-sync/config';
import type { VerifiedDelivery } from '@crm-sync/core';
import { verifyCalendarNotice, type CalendarNoticeHeaders } from './google/notices/calendarNotice';
import {
  createPubSubPushVerifier,
  GOOGLE_OIDC_JWKS_URL,
  type PubSubPushVerifier,
} from './google/notices/pubsubPush';
import { createRiscVerifier, GOOGLE_RISC_CONFIGURATION_URL } from './google/notices/risc';
import { verifyHubSpotWebhook } from './hubspot/notices/webhook';
import { verifyGraphChanges } from './microsoft/notices/changes';
import { verifyGraphLifecycle } from './microsoft/notices/lifecycle';
import type { SignedHubSpotRequest } from './hubspot/notices/signature';

/**
 * The verifiers of provider notices for the providers that are configured (docs/providers/notices.md). Each
 * throws NoticeRefusedError for a notice that is forged, stale, for another audience or malformed.
 */
export interface NoticeVerifiers {
  google?: (token: string) => Promise<VerifiedDelivery>;
  /** Calendar channel notifications (issue 25, docs/push.md). */
  googleCalendar?: (headers: CalendarNoticeHeaders) => VerifiedDelivery;
  /** Gmail's Pub/Sub pushes, where Gmail push is configured (issue 25, docs/push.md). */
  googlePubSub?: PubSubPushVerifier;
  microsoft?: (rawBody: string) => VerifiedDelivery;
  /** Graph change notifications of our subscriptions (issue 25, docs/push.md). */
  microsoftChanges?: (rawBody: string) => VerifiedDelivery;
  hubspot?: (request: SignedHubSpotRequest, now: Date) => VerifiedDelivery;
}

/**
 * Google's RISC configuration is read from Google (or the sandbox's copy); the Graph clientState key is the
 * Microsoft client secret, and HubSpot signs with the app's client secret, so no new secret is configured.
 */
export function noticeVerifiersFromConfig(providers: ProvidersConfig): NoticeVerifiers {
  const { google, microsoft, hubspot, endpoints } = providers;
  const sandbox = endpoints.mode === 'sandbox' ? endpoints.httpUrl.replace(/\/+$/, '') : undefined;
  return {
    ...(google && {
      google: createRiscVerifier({
        configurationUrl: sandbox
          ? `${sandbox}/.well-known/risc-configuration`
          : GOOGLE_RISC_CONFIGURATION_URL,
        audiences: [google.clientId],
      }),
      googleCalendar: verifyCalendarNotice,
      ...(google.gmailPush && {
        googlePubSub: createPubSubPushVerifier({
          ...google.gmailPush,
          jwksUrl:
            google.gmailPush.jwksUrl ?? (sandbox ? `${sandbox}/oauth2/v3/certs` : GOOGLE_OIDC_JWKS_URL),
        }),
      }),
    }),
    ...(microsoft && {
      microsoft: (rawBody: string) => verifyGraphLifecycle(microsoft.clientSecret, rawBody),
      microsoftChanges: (rawBody: string) => verifyGraphChanges(microsoft.clientSecret, rawBody),
    }),
    ...(hubspot && {
      hubspot: (request: SignedHubSpotRequest, now: Date) =>
        verifyHubSpotWebhook(hubspot.clientSecret, request, now),
    }),
  };
}
