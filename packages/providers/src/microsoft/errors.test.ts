import { type ProviderErrorClass } from '@crm-sync/core';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { ResponseBodyError } from 'openid-client';
import { refusedConnectionError } from '../../test/network';
import { classifyMicrosoftError } from './errors';

/** openid-client's error for an OAuth error body from the token endpoint. */
function tokenError(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = new Response(JSON.stringify(body), { status, headers });
  return new ResponseBodyError('server responded with an error in the response body', {
    cause: body as never,
    response,
  });
}

/** The Graph client's error for a non-2xx answer. */
function graphError(status: number, code: string | null, headers: Record<string, string> = {}) {
  const error = new GraphError(status, 'm');
  error.code = code;
  error.headers = new Headers(headers);
  return error;
}

const table: Array<[string, () => unknown, ProviderErrorClass]> = [
  [
    'refresh token expired for inactivity (invalid_grant AADSTS700082)',
    () =>
      tokenError(400, {
        error: 'invalid_grant',
        error_description: 'AADSTS700082: …',
        error_codes: [700082],
      }),
    { kind: 'auth_revoked', reason: 'invalid_grant AADSTS700082' },
  ],
  [
    'sessions revoked (invalid_grant AADSTS50173)',
    () => tokenError(400, { error: 'invalid_grant', error_codes: [50173] }),
    { kind: 'auth_revoked', reason: 'invalid_grant AADSTS50173' },
  ],
  [
    'MFA now required (interaction_required)',
    () => tokenError(400, { error: 'interaction_required', error_codes: [50076] }),
    { kind: 'auth_revoked', reason: 'interaction_required AADSTS50076' },
  ],
  [
    'wrong client secret (invalid_client) is configuration',
    () => tokenError(401, { error: 'invalid_client', error_codes: [7000215] }),
    { kind: 'permanent', reason: 'invalid_client AADSTS7000215' },
  ],
  [
    'token endpoint temporarily_unavailable',
    () => tokenError(503, { error: 'temporarily_unavailable' }),
    { kind: 'transient', reason: 'temporarily_unavailable' },
  ],
  [
    'token endpoint 429',
    () => tokenError(429, { error: 'too_many_requests' }, { 'retry-after': '2' }),
    { kind: 'rate_limited', retryAfterMs: 2000 },
  ],
  [
    'Graph 401 InvalidAuthenticationToken',
    () => graphError(401, 'InvalidAuthenticationToken'),
    { kind: 'auth_expired' },
  ],
  [
    'Graph 429 with Retry-After',
    () => graphError(429, 'TooManyRequests', { 'retry-after': '5' }),
    { kind: 'rate_limited', retryAfterMs: 5000 },
  ],
  [
    'Graph 429 without Retry-After',
    () => graphError(429, 'TooManyRequests'),
    { kind: 'rate_limited', retryAfterMs: 3000, guessed: true },
  ],
  [
    'Graph 503 with Retry-After (load shedding)',
    () => graphError(503, 'serviceNotAvailable', { 'retry-after': '1' }),
    { kind: 'rate_limited', retryAfterMs: 1000 },
  ],
  [
    'Graph mailbox concurrency throttling on a 403',
    () => graphError(403, 'ApplicationThrottled'),
    { kind: 'rate_limited', retryAfterMs: 3000, guessed: true },
  ],
  [
    'Graph 403 access denied (missing scope)',
    () => graphError(403, 'ErrorAccessDenied'),
    { kind: 'permanent', reason: 'http 403 ErrorAccessDenied' },
  ],
  [
    'Graph 410 syncStateNotFound (evicted delta token)',
    () => graphError(410, 'syncStateNotFound'),
    { kind: 'cursor_expired' },
  ],
  ['Graph 410 resyncRequired', () => graphError(410, 'resyncRequired'), { kind: 'cursor_expired' }],
  ['Graph 410 without a code (maintenance)', () => graphError(410, null), { kind: 'cursor_expired' }],
  [
    'Graph 400 SyncStateNotFound (expired directory delta token)',
    () => graphError(400, 'SyncStateNotFound'),
    { kind: 'cursor_expired' },
  ],
  ['Graph 500', () => graphError(500, 'generalException'), { kind: 'transient', reason: 'http 500' }],
  ['Graph 504 without Retry-After', () => graphError(504, null), { kind: 'transient', reason: 'http 504' }],
  ['Graph network failure (status -1)', () => graphError(-1, null), { kind: 'transient', reason: 'network' }],
  [
    'a bug (plain Error)',
    () => new TypeError('x is undefined'),
    { kind: 'permanent', reason: 'unexpected TypeError' },
  ],
];

describe('classifyMicrosoftError', () => {
  it.each(table)('%s', (_name, make, expected) => {
    expect(classifyMicrosoftError(make())).toEqual(expected);
  });

  it('a refused connection is transient', async () => {
    expect(classifyMicrosoftError(await refusedConnectionError())).toEqual({
      kind: 'transient',
      reason: 'network',
    });
  });
});
