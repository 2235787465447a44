import { randomUUID } from 'node:crypto';
import { type FastifyReply } from 'fastify';
import { type ErrorRenderer, type RenderedError } from '../core/types';
import { type HubSpotLimits, tenSecondlyHeaders } from './rateLimit';
import { type HubSpotErrorWire, type RateLimitErrorWire } from './types';

/** `{status:"error", message, correlationId, category}`: HubSpot's generic API error body. */
export function apiError(
  message: string,
  category: string,
  extra: Partial<HubSpotErrorWire> = {},
): HubSpotErrorWire {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

export function sendApiError(reply: FastifyReply, status: number, body: HubSpotErrorWire): FastifyReply {
  return reply.code(status).send(body);
}

/**
 * OAuth endpoints answer `{status:"BAD_…", message}` instead (wording third-party or unconfirmed:
 * docs/providers/hubspot.md#oauth-errors).
 */
export const OAUTH_ERRORS = {
  BAD_CLIENT_ID: 'missing or unknown client id',
  BAD_CLIENT_SECRET: 'missing or invalid client secret',
  BAD_REDIRECT_URI: 'redirect_uri does not match the one used to obtain the code',
  BAD_AUTH_CODE: 'missing or unknown auth code',
  BAD_REFRESH_TOKEN: 'missing or invalid refresh token',
  BAD_GRANT_TYPE: 'missing or unknown grant_type',
} as const;

export type OAuthErrorStatus = keyof typeof OAUTH_ERRORS;

export function oauthError(status: OAuthErrorStatus): HubSpotErrorWire {
  return { status, message: OAUTH_ERRORS[status], correlationId: randomUUID() };
}

/**
 * The SDK's RetryDecorator keys on these exact values: `policyName: TEN_SECONDLY_ROLLING`
 * (waits 10 s × attempt) and the search limiter's message (1 s × attempt)
 * (docs/providers/clients.md#client-retries, docs/providers/hubspot.md#rate-limits).
 */
export function rateLimitError(policy: 'TEN_SECONDLY_ROLLING' | 'SECONDLY'): RateLimitErrorWire {
  return {
    status: 'error',
    message:
      policy === 'TEN_SECONDLY_ROLLING'
        ? 'You have reached your ten_secondly_rolling limit.'
        : 'You have reached your secondly limit.',
    errorType: 'RATE_LIMIT',
    correlationId: randomUUID(),
    policyName: policy,
    requestId: randomUUID(),
  };
}

const UNAUTHORIZED = {
  missing: ['Authentication credentials not found.', 'INVALID_AUTHENTICATION'],
  invalid: ['Authentication credentials not found.', 'INVALID_AUTHENTICATION'],
  expired: ['The OAuth token used to make this call expired.', 'EXPIRED_AUTHENTICATION'],
  revoked: ['The OAuth token used to make this call has been revoked.', 'INVALID_AUTHENTICATION'],
} as const;

/**
 * A 429 carries the ten-secondly X-HubSpot-RateLimit-* headers with nothing remaining; HubSpot documents no
 * Retry-After (third parties report one on some 429s), and none on 5xx (docs/providers/hubspot.md#rate-limits).
 */
export function hubspotErrorRenderer(limits: HubSpotLimits): ErrorRenderer {
  const throttled = (retryAfterSeconds: number | undefined): RenderedError => ({
    status: 429,
    body: rateLimitError('TEN_SECONDLY_ROLLING'),
    headers: {
      ...tenSecondlyHeaders(limits, 0),
      ...(retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) }),
    },
  });
  return {
    unauthorized(reason): RenderedError {
      const [message, category] = UNAUTHORIZED[reason];
      return { status: 401, body: apiError(message, category) };
    },
    retryAfter: { 429: 'sometimes', 500: 'never', 503: 'never' },
    fault(status, retryAfterSeconds): RenderedError {
      if (status === 429) return throttled(retryAfterSeconds);
      return {
        status,
        body: apiError('internal error', status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR'),
      };
    },
    quotaExceeded: () => throttled(undefined),
  };
}
