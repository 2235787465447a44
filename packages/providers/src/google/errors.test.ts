import { ClassifiedProviderError, type ProviderErrorClass } from '@crm-sync/core';
import { GaxiosError, type GaxiosOptionsPrepared, type GaxiosResponse } from 'gaxios';
import { refusedConnectionError } from '../../test/network';
import { classifyGoogleError } from './errors';

const config = {
  url: new URL('https://oauth2.googleapis.com/token'),
  headers: new Headers(),
} as GaxiosOptionsPrepared;

/** A GaxiosError as gaxios builds it for a non-2xx answer (body already read, so `bodyUsed` is true). */
function gaxiosError(
  status: number,
  data: unknown,
  headers: Record<string, string> = {},
  url?: string,
): GaxiosError {
  const prepared = url ? ({ ...config, url: new URL(url) } as GaxiosOptionsPrepared) : config;
  const response = {
    status,
    statusText: '',
    headers: new Headers(headers),
    data,
    config: prepared,
    bodyUsed: true,
  };
  return new GaxiosError('request failed', prepared, response as unknown as GaxiosResponse);
}

const GMAIL = 'https://gmail.googleapis.com/gmail/v1/users/me';

const apiError = (status: number, reason: string, apiStatus = 'PERMISSION_DENIED') => ({
  error: {
    code: status,
    message: 'm',
    status: apiStatus,
    errors: [{ reason, domain: 'global', message: 'm' }],
  },
});

const table: Array<[string, () => unknown, ProviderErrorClass]> = [
  [
    'refresh with a revoked token (400 invalid_grant)',
    () =>
      gaxiosError(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }),
    { kind: 'auth_revoked', reason: 'invalid_grant' },
  ],
  [
    '401 on an API call',
    () => gaxiosError(401, apiError(401, 'authError', 'UNAUTHENTICATED')),
    { kind: 'auth_expired' },
  ],
  [
    '429 with Retry-After seconds',
    () => gaxiosError(429, apiError(429, 'rateLimitExceeded', 'RESOURCE_EXHAUSTED'), { 'retry-after': '7' }),
    { kind: 'rate_limited', retryAfterMs: 7000 },
  ],
  [
    '429 without Retry-After',
    () => gaxiosError(429, apiError(429, 'rateLimitExceeded', 'RESOURCE_EXHAUSTED')),
    { kind: 'rate_limited', retryAfterMs: 10_000, guessed: true },
  ],
  [
    '403 userRateLimitExceeded (Gmail per-user quota)',
    () => gaxiosError(403, apiError(403, 'userRateLimitExceeded')),
    { kind: 'rate_limited', retryAfterMs: 10_000, guessed: true },
  ],
  [
    '403 insufficient scope',
    () => gaxiosError(403, apiError(403, 'insufficientPermissions')),
    { kind: 'permanent', reason: 'http 403 insufficientPermissions' },
  ],
  [
    '500',
    () => gaxiosError(500, apiError(500, 'backendError', 'INTERNAL')),
    { kind: 'transient', reason: 'http 500' },
  ],
  ['503 without a body', () => gaxiosError(503, ''), { kind: 'transient', reason: 'http 503' }],
  [
    '401 invalid_client from the token endpoint is configuration, not an expired token',
    () => gaxiosError(401, { error: 'invalid_client', error_description: 'Unauthorized' }),
    { kind: 'permanent', reason: 'invalid_client' },
  ],
  [
    'revoke of an unknown token (400 invalid_token)',
    () => gaxiosError(400, { error: 'invalid_token', error_description: 'Token expired or revoked' }),
    { kind: 'permanent', reason: 'invalid_token' },
  ],
  [
    '404 on an API call',
    () => gaxiosError(404, apiError(404, 'notFound', 'NOT_FOUND')),
    { kind: 'permanent', reason: 'http 404 notFound' },
  ],
  [
    'Gmail history.list 404: the startHistoryId is too old',
    () => gaxiosError(404, apiError(404, 'notFound', 'NOT_FOUND'), {}, `${GMAIL}/history?startHistoryId=1`),
    { kind: 'cursor_expired' },
  ],
  [
    'Gmail messages.get 404 is not an expired cursor (the syncer reports the id deleted)',
    () =>
      gaxiosError(404, apiError(404, 'notFound', 'NOT_FOUND'), {}, `${GMAIL}/messages/abc?format=metadata`),
    { kind: 'permanent', reason: 'http 404 notFound' },
  ],
  [
    'Calendar 410 fullSyncRequired',
    () =>
      gaxiosError(410, {
        error: {
          code: 410,
          message: 'Sync token is no longer valid, a full sync is required.',
          errors: [{ domain: 'calendar', reason: 'fullSyncRequired', location: 'syncToken' }],
        },
      }),
    { kind: 'cursor_expired' },
  ],
  [
    'Calendar 410 deleted (not about a cursor)',
    () => gaxiosError(410, apiError(410, 'deleted', 'FAILED_PRECONDITION')),
    { kind: 'permanent', reason: 'http 410 deleted' },
  ],
  [
    'People 400 EXPIRED_SYNC_TOKEN (the reason is in details, not errors)',
    () =>
      gaxiosError(400, {
        error: {
          code: 400,
          message: 'Sync token is expired. Clear local cache and retry call without the sync token.',
          status: 'FAILED_PRECONDITION',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'EXPIRED_SYNC_TOKEN',
              domain: 'people.googleapis.com',
            },
          ],
        },
      }),
    { kind: 'cursor_expired' },
  ],
  [
    'People 400 for a bad field mask stays permanent',
    () =>
      gaxiosError(400, { error: { code: 400, message: 'Invalid personFields', status: 'INVALID_ARGUMENT' } }),
    { kind: 'permanent', reason: 'http 400 INVALID_ARGUMENT' },
  ],
  [
    'an already classified error passes through',
    () => new ClassifiedProviderError({ kind: 'auth_expired' }, 'x'),
    { kind: 'auth_expired' },
  ],
  [
    'a bug (plain Error)',
    () => new RangeError('boom'),
    { kind: 'permanent', reason: 'unexpected RangeError' },
  ],
];

describe('classifyGoogleError', () => {
  it.each(table)('%s', (_name, make, expected) => {
    expect(classifyGoogleError(make())).toEqual(expected);
  });

  it('a refused connection is transient', async () => {
    expect(classifyGoogleError(await refusedConnectionError())).toEqual({
      kind: 'transient',
      reason: 'network',
    });
  });

  it('a GaxiosError without a response (network) is transient', async () => {
    const cause = await refusedConnectionError();
    expect(classifyGoogleError(new GaxiosError('fetch failed', config, undefined, cause as Error))).toEqual({
      kind: 'transient',
      reason: 'network',
    });
  });
});
