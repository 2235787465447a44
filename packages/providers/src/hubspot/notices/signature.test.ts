import { NoticeRefusedError } from '@crm-sync/core';
import { Signature } from '@hubspot/api-client';
import { hubspotSignatureV3, hubspotSignedUri, verifyHubSpotSignature } from './signature';

const request = {
  method: 'POST',
  uri: 'https://crm-sync.example.com/v1/webhooks/hubspot?x=a%3Ab',
  body: '[{"eventId":1,"portalId":62515,"subscriptionType":"contact.creation"}]',
  timestamp: '1765000000000',
};
const secret = 'client-secret-for-tests';

describe('HubSpot v3 signatures', () => {
  it("computes what HubSpot's own Node client computes", () => {
    const official = Signature.getSignature('POST', 'v3', {
      clientSecret: secret,
      requestBody: request.body,
      url: hubspotSignedUri(request.uri),
      timestamp: Number(request.timestamp),
      signature: '',
    });
    expect(hubspotSignatureV3(secret, request)).toBe(official);
  });

  it('decodes the documented characters of the URI before signing', () => {
    expect(hubspotSignedUri('https://h/p?a=%3A%2F%3F%40%21%24%27%28%29%2A%2C%3B&b=%20')).toBe(
      "https://h/p?a=:/?@!$'()*,;&b=%20",
    );
  });

  const now = new Date(Number(request.timestamp) + 60_000);
  const signed = { ...request, signature: hubspotSignatureV3(secret, request) };
  const refusal = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      return error instanceof NoticeRefusedError ? error.refusal : 'other';
    }
    return 'accepted';
  };

  it.each([
    ['a valid signature inside the window', signed, now, 'accepted'],
    ['another secret', { ...signed, signature: hubspotSignatureV3('other', request) }, now, 'bad_signature'],
    ['a changed body', { ...signed, body: `${request.body} ` }, now, 'bad_signature'],
    ['another method', { ...signed, method: 'PUT' }, now, 'bad_signature'],
    ['no timestamp', { ...signed, timestamp: undefined }, now, 'malformed'],
    ['no signature', { ...signed, signature: undefined }, now, 'malformed'],
    ['a stamp over 5 minutes old', signed, new Date(Number(request.timestamp) + 300_001), 'stale'],
    ['a stamp over 5 minutes ahead', signed, new Date(Number(request.timestamp) - 300_001), 'stale'],
  ])('%s', (_name, input, at, expected) => {
    expect(refusal(() => verifyHubSpotSignature(secret, input, at))).toBe(expected);
  });
});
