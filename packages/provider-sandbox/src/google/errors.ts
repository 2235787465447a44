import { type ErrorRenderer, type RenderedError } from '../core/types';

// Google's "v1 error" JSON (docs/providers/google.md#error-format):
// { error: { code, message, errors[], status } }.

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  410: 'FAILED_PRECONDITION',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export interface ErrorDetail {
  domain: string;
  reason: string;
  location?: string;
  locationType?: string;
}

export function googleError(
  code: number,
  message: string,
  detail: ErrorDetail,
  headers?: Record<string, string>,
): RenderedError {
  return {
    status: code,
    body: {
      error: { code, message, errors: [{ message, ...detail }], status: STATUS_NAMES[code] ?? 'UNKNOWN' },
    },
    ...(headers ? { headers } : {}),
  };
}

export const notFound = () =>
  googleError(404, 'Requested entity was not found.', { domain: 'global', reason: 'notFound' });

export const badRequest = (message: string, location?: string) =>
  googleError(400, message, {
    domain: 'global',
    reason: 'invalid',
    ...(location ? { location, locationType: 'parameter' } : {}),
  });

/**
 * Gmail's answer to a page token it did not issue (docs/providers/google.md#page-and-sync-tokens): reason
 * `invalidArgument`, no location.
 */
export const invalidPageToken = () =>
  googleError(400, 'Invalid pageToken', { domain: 'global', reason: 'invalidArgument' });
export const insufficientScope = () =>
  googleError(403, 'Request had insufficient authentication scopes.', {
    domain: 'global',
    reason: 'insufficientPermissions',
  });

/** Calendar: an expired or unknown syncToken. */
export const fullSyncRequired = () =>
  googleError(410, 'Sync token is no longer valid, a full sync is required.', {
    domain: 'calendar',
    reason: 'fullSyncRequired',
    location: 'syncToken',
    locationType: 'parameter',
  });

/**
 * People: an expired sync token is a 400 whose ErrorInfo reason is EXPIRED_SYNC_TOKEN
 * (docs/providers/google.md#people-sync).
 */
export const expiredSyncToken = (): RenderedError => ({
  status: 400,
  body: {
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
  },
});

/**
 * Google documents no Retry-After on its usage-limit errors (clients back off exponentially); third parties
 * report one on some 429 and 503 answers (docs/providers/google.md#rate-limits).
 */
export const googleErrors: ErrorRenderer = {
  unauthorized: () =>
    googleError(401, 'Invalid Credentials', {
      domain: 'global',
      reason: 'authError',
      location: 'Authorization',
      locationType: 'header',
    }),
  retryAfter: { 429: 'sometimes', 500: 'never', 503: 'sometimes' },
  fault(status, retryAfterSeconds) {
    const headers =
      retryAfterSeconds === undefined ? undefined : { 'retry-after': String(retryAfterSeconds) };
    if (status === 429)
      return googleError(
        429,
        'Rate Limit Exceeded',
        { domain: 'usageLimits', reason: 'rateLimitExceeded' },
        headers,
      );
    if (status === 503)
      return googleError(
        503,
        'The service is currently unavailable.',
        { domain: 'global', reason: 'backendError' },
        headers,
      );
    return googleError(500, 'Backend Error', { domain: 'global', reason: 'backendError' });
  },
  quotaExceeded(status) {
    return status === 429
      ? googleError(429, 'Rate Limit Exceeded', { domain: 'usageLimits', reason: 'rateLimitExceeded' })
      : googleError(403, 'User Rate Limit Exceeded', {
          domain: 'usageLimits',
          reason: 'userRateLimitExceeded',
        });
  },
};
