import { type ProviderErrorClass } from '@crm-sync/core';
import { ApiException } from '@hubspot/api-client/lib/codegen/oauth/apis/exception';
import { ApiException as CrmApiException } from '@hubspot/api-client/lib/codegen/crm/contacts/apis/exception';
import { classifyHubSpotError } from './errors';

const apiException = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new ApiException(status, 'An error occurred.', body, headers);

const table: Array<[string, () => unknown, ProviderErrorClass]> = [
  [
    'refresh after uninstall (400 BAD_REFRESH_TOKEN)',
    () => apiException(400, { status: 'BAD_REFRESH_TOKEN', message: 'missing or invalid refresh token' }),
    { kind: 'auth_revoked', reason: 'BAD_REFRESH_TOKEN' },
  ],
  [
    'the same, with the body left as text',
    () => apiException(400, '{"status":"BAD_REFRESH_TOKEN","message":"missing or invalid refresh token"}'),
    { kind: 'auth_revoked', reason: 'BAD_REFRESH_TOKEN' },
  ],
  [
    'bad code (400 BAD_AUTH_CODE)',
    () => apiException(400, { status: 'BAD_AUTH_CODE', message: 'missing or unknown auth code' }),
    { kind: 'auth_revoked', reason: 'BAD_AUTH_CODE' },
  ],
  [
    'wrong client id is configuration (400 BAD_CLIENT_ID)',
    () => apiException(400, { status: 'BAD_CLIENT_ID', message: 'missing or invalid client id' }),
    { kind: 'permanent', reason: 'http 400 BAD_CLIENT_ID' },
  ],
  [
    '401 on an API call',
    () => apiException(401, { category: 'INVALID_AUTHENTICATION' }),
    { kind: 'auth_expired' },
  ],
  [
    '429 ten-secondly rolling',
    () => apiException(429, { errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' }),
    { kind: 'rate_limited', retryAfterMs: 10_000 },
  ],
  [
    '429 daily',
    () => apiException(429, { errorType: 'RATE_LIMIT', policyName: 'DAILY' }),
    { kind: 'rate_limited', retryAfterMs: 3_600_000 },
  ],
  [
    '429 from the search limiter',
    () => apiException(429, { message: 'You have reached your secondly limit.' }),
    { kind: 'rate_limited', retryAfterMs: 1000 },
  ],
  [
    '429 with Retry-After wins over the policy',
    () => apiException(429, { policyName: 'TEN_SECONDLY_ROLLING' }, { 'retry-after': '3' }),
    { kind: 'rate_limited', retryAfterMs: 3000 },
  ],
  [
    '403 missing scopes',
    () => new CrmApiException(403, 'm', { category: 'MISSING_SCOPES' }, {}),
    { kind: 'permanent', reason: 'http 403 MISSING_SCOPES' },
  ],
  [
    '404 API error (status "error", category names it)',
    () => apiException(404, { status: 'error', message: 'Token not found', category: 'OBJECT_NOT_FOUND' }),
    { kind: 'permanent', reason: 'http 404 OBJECT_NOT_FOUND' },
  ],
  ['423 locked', () => apiException(423, {}), { kind: 'transient', reason: 'http 423' }],
  ['502', () => apiException(502, 'Bad Gateway'), { kind: 'transient', reason: 'http 502' }],
  ['524 origin timeout', () => apiException(524, ''), { kind: 'transient', reason: 'http 524' }],
  ['a bug (plain Error)', () => new Error('boom'), { kind: 'permanent', reason: 'unexpected Error' }],
];

describe('classifyHubSpotError', () => {
  it.each(table)('%s', (_name, make, expected) => {
    expect(classifyHubSpotError(make())).toEqual(expected);
  });

  it('a refused connection through the SDK (node-fetch FetchError) is transient', async () => {
    const { Client } = await import('@hubspot/api-client');
    const oauth = new Client({ basePath: 'http://127.0.0.1:1', numberOfApiCallRetries: 0 }).oauth;
    const error = await oauth.accessTokensApi.get('t').then(
      () => new Error('expected a failure'),
      (e: unknown) => e,
    );
    expect(classifyHubSpotError(error)).toEqual({ kind: 'transient', reason: 'network' });
  });
});
