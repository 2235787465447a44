import { ClassifiedProviderError, type ProviderErrorClass } from '@crm-sync/core';
import { code } from '../shared/guard';
import { isNetworkError, unexpected } from '../shared/network';
import { parseRetryAfter } from '../shared/retryAfter';
import { HUBSPOT_DESCRIPTOR } from './descriptor';

/**
 * The shape of the SDK's `ApiException`. Each generated API group (oauth, crm/contacts, …) has its own copy of that
 * class, so `instanceof` one of them would miss the others; the fields are the same in all.
 */
export interface HubSpotApiError extends Error {
  code: number;
  body: unknown;
  headers: Record<string, string>;
}

/** HubSpot's error body (`status` on OAuth errors, `category`/`policyName` on API errors). */
interface HubSpotErrorBody {
  status?: string;
  category?: string;
  subCategory?: string;
  policyName?: string;
  message?: string;
}

export function isHubSpotApiError(error: unknown): error is HubSpotApiError {
  return (
    error instanceof Error &&
    typeof (error as Partial<HubSpotApiError>).code === 'number' &&
    'body' in error &&
    typeof (error as Partial<HubSpotApiError>).headers === 'object'
  );
}

/**
 * Maps anything a HubSpot call threw onto the closed set of error kinds (docs/architecture.md, Style: "A closed set
 * of error kinds").
 */
export function classifyHubSpotError(error: unknown): ProviderErrorClass {
  if (error instanceof ClassifiedProviderError) return error.classification;
  if (!isHubSpotApiError(error)) {
    if (isNetworkError(error)) return { kind: 'transient', reason: 'network' };
    return {
      kind: 'permanent',
      reason: unexpected(error),
    };
  }
  const status = error.code;
  const body = readBody(error.body);
  if (body.status && (HUBSPOT_DESCRIPTOR.revokedGrantStatuses as readonly string[]).includes(body.status)) {
    return { kind: 'auth_revoked', reason: body.status };
  }
  if (status === 401) return { kind: 'auth_expired' };
  if (status === 429) return { kind: 'rate_limited', ...retryAfter(error.headers, body) };
  if (status >= 500 || (HUBSPOT_DESCRIPTOR.transientStatuses as readonly number[]).includes(status)) {
    return { kind: 'transient', reason: `http ${status}` };
  }
  // 403 MISSING_SCOPES, 400 BAD_CLIENT_ID / VALIDATION_ERROR, 404: retrying cannot help.
  // API errors say `status: "error"` and name the problem in `category`; OAuth errors put it in `status`.
  const oauthStatus = body.status === 'error' ? undefined : body.status;
  const detail = code(oauthStatus) ?? code(body.category) ?? code(body.subCategory);
  return { kind: 'permanent', reason: detail ? `http ${status} ${detail}` : `http ${status}` };
}

/** The wait a 429 names: its Retry-After, else the window of the policy it names; `guessed` when neither. */
function retryAfter(
  headers: Record<string, string>,
  body: HubSpotErrorBody,
): { retryAfterMs: number; guessed?: true } {
  const fromHeader = parseRetryAfter(headers[HUBSPOT_DESCRIPTOR.retryAfterHeader]);
  if (fromHeader !== undefined) return { retryAfterMs: fromHeader };
  const byPolicy: Record<string, number> = HUBSPOT_DESCRIPTOR.retryAfterMsByPolicy;
  if (body.policyName && body.policyName in byPolicy) return { retryAfterMs: byPolicy[body.policyName]! };
  // The search limiter names no policy, only this message (the SDK's RetryDecorator keys on it too).
  if (body.message === 'You have reached your secondly limit.') return { retryAfterMs: byPolicy.SECONDLY! };
  return { retryAfterMs: HUBSPOT_DESCRIPTOR.defaultRetryAfterMs, guessed: true };
}

/** The SDK hands over a parsed object for JSON bodies and a string otherwise. */
function readBody(body: unknown): HubSpotErrorBody {
  if (typeof body === 'string') {
    try {
      return readBody(JSON.parse(body) as unknown);
    } catch {
      return {};
    }
  }
  return typeof body === 'object' && body !== null ? (body as HubSpotErrorBody) : {};
}
