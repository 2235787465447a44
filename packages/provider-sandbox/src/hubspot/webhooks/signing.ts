import { createHmac } from 'node:crypto';

/**
 * A webhook request as HubSpot signs it, v3: base64 HMAC-SHA256 with the app's client secret of method + URL + body +
 * timestamp (ms), in `X-HubSpot-Signature-v3` and `X-HubSpot-Request-Timestamp`
 * (https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation).
 */
export function signedWebhookRequest(
  url: string,
  body: string,
  secret: string,
  timestamp: number,
): { headers: Record<string, string>; body: string } {
  const stamp = String(timestamp);
  const signature = createHmac('sha256', secret).update(`POST${url}${body}${stamp}`, 'utf8').digest('base64');
  return {
    headers: {
      'content-type': 'application/json',
      'x-hubspot-signature-v3': signature,
      'x-hubspot-request-timestamp': stamp,
    },
    body,
  };
}
