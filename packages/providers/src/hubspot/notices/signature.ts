import { createHmac, timingSafeEqual } from 'node:crypto';
import { NoticeRefusedError } from '@crm-sync/core';

// HubSpot request signatures v3 (https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation;
// the same computation as @hubspot/api-client `Signature.getSignature('v3')`, lib/src/utils/signature.ts):
// base64(HMAC-SHA256(client secret, method + URI + body + timestamp)), in `X-HubSpot-Signature-v3`, the timestamp
// (ms) in `X-HubSpot-Request-Timestamp`; requests older than 5 minutes are to be rejected.

export const HUBSPOT_SIGNATURE_WINDOW_MS = 5 * 60 * 1000;

/**
 * HubSpot signs the URI with these characters decoded, so the receiver decodes them too before hashing (the
 * request-validation guide's list).
 */
const DECODED: Readonly<Record<string, string>> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function hubspotSignedUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED[m.toUpperCase()] ?? m);
}

export function hubspotSignatureV3(
  clientSecret: string,
  request: { method: string; uri: string; body: string; timestamp: string },
): string {
  return createHmac('sha256', clientSecret)
    .update(`${request.method}${hubspotSignedUri(request.uri)}${request.body}${request.timestamp}`, 'utf8')
    .digest('base64');
}

export interface SignedHubSpotRequest {
  method: string;
  /** The full URL HubSpot called: the public base URL and the path with its query. */
  uri: string;
  body: string;
  signature: string | undefined;
  timestamp: string | undefined;
}

/** Throws NoticeRefusedError unless the request carries a valid, fresh v3 signature. Constant-time compare. */
export function verifyHubSpotSignature(clientSecret: string, request: SignedHubSpotRequest, now: Date): void {
  if (!request.signature || !request.timestamp || !/^\d{1,16}$/.test(request.timestamp)) {
    throw new NoticeRefusedError(
      'malformed',
      'X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp required',
    );
  }
  const expected = Buffer.from(
    hubspotSignatureV3(clientSecret, { ...request, timestamp: request.timestamp }),
    'utf8',
  );
  const given = Buffer.from(request.signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new NoticeRefusedError('bad_signature', 'the v3 signature does not match');
  }
  // Checked after the signature so a forger learns nothing from the answer; future stamps beyond the window too.
  if (Math.abs(now.getTime() - Number(request.timestamp)) > HUBSPOT_SIGNATURE_WINDOW_MS) {
    throw new NoticeRefusedError('stale', 'the request timestamp is outside the 5-minute window');
  }
}
