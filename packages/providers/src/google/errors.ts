import { ClassifiedProviderError, type ProviderErrorClass } from '@crm-sync/core';
import { GaxiosError } from 'gaxios';
import { code } from '../shared/guard';
import { isNetworkError, unexpected } from '../shared/network';
import { parseRetryAfter } from '../shared/retryAfter';
import { GOOGLE_DESCRIPTOR } from './descriptor';

/** The two bodies Google answers with: OAuth `{error, error_description}` and APIs `{error: {code, errors[], status}}`. */
interface GoogleErrorBody {
  error?:
    | string
    | {
        code?: number;
        status?: string;
        message?: string;
        errors?: Array<{ reason?: string }>;
        /** google.rpc details; People puts `ErrorInfo.reason` (EXPIRED_SYNC_TOKEN) here, not in `errors`. */
        details?: Array<{ reason?: unknown }>;
      };
  error_description?: string;
}

/**
 * Whether a Google API error body says the caller is throttled: a usage-limit reason in `errors[]`
 * (`userRateLimitExceeded`, `rateLimitExceeded`, …, docs/providers/google.md) or the `RESOURCE_EXHAUSTED` status.
 * Google sends these with 403 as well as 429; the sync's classifier and the token broker's proxy both ask this.
 */
export function saysThrottled(body: unknown): boolean {
  const error = (body as GoogleErrorBody | null)?.error;
  if (typeof error !== 'object' || error === null) return false;
  const reasons = (error.errors ?? []).map((e) => e.reason);
  return (
    reasons.some((r) => (GOOGLE_DESCRIPTOR.rateLimitReasons as readonly string[]).includes(r ?? '')) ||
    error.status === 'RESOURCE_EXHAUSTED'
  );
}

/**
 * Maps anything a Google call threw onto the closed set of error kinds (docs/architecture.md, Style: "A closed set of
 * error kinds").
 */
export function classifyGoogleError(error: unknown): ProviderErrorClass {
  if (error instanceof ClassifiedProviderError) return error.classification;
  if (!(error instanceof GaxiosError)) {
    return isNetworkError(error) ? { kind: 'transient', reason: 'network' } : unknownFailure(error);
  }
  const status = error.response?.status ?? (typeof error.status === 'number' ? error.status : undefined);
  if (status === undefined) {
    return isNetworkError(error) ? { kind: 'transient', reason: 'network' } : unknownFailure(error);
  }
  const body = (error.response?.data ?? {}) as GoogleErrorBody;
  if (typeof body.error === 'string') return classifyOAuthError(status, body.error);

  const reasons = (body.error?.errors ?? []).map((e) => e.reason).filter((r) => typeof r === 'string');
  if (status === 401) return { kind: 'auth_expired' };
  const details = (body.error?.details ?? []).map((d) => d.reason).filter((r) => typeof r === 'string');
  if (isExpiredCursor(status, [...reasons, ...details], requestPath(error)))
    return { kind: 'cursor_expired' };
  if (status === 429 || (status === 403 && saysThrottled(body))) {
    const told = parseRetryAfter(error.response?.headers.get(GOOGLE_DESCRIPTOR.retryAfterHeader));
    return told === undefined
      ? { kind: 'rate_limited', retryAfterMs: GOOGLE_DESCRIPTOR.defaultRetryAfterMs, guessed: true }
      : { kind: 'rate_limited', retryAfterMs: told };
  }
  if (status >= 500 || status === 408) return { kind: 'transient', reason: `http ${status}` };
  const detail = code(reasons[0]) ?? code(body.error?.status);
  return { kind: 'permanent', reason: detail ? `http ${status} ${detail}` : `http ${status}` };
}

/**
 * The ways Google says "your incremental starting point is gone, sync in full"
 * (docs/providers/google.md#gmail-history, #calendar-sync, #people-sync):
 * Gmail answers 404 to history.list (a 404 anywhere else means the item is gone, which the syncer handles),
 * Calendar 410 fullSyncRequired (or updatedMinTooLongAgo), People 400 with ErrorInfo reason EXPIRED_SYNC_TOKEN, Drive
 * 400 `invalid` to changes.list.
 */
function isExpiredCursor(status: number, reasons: string[], path: string | undefined): boolean {
  if (status === 404) return path !== undefined && GMAIL_HISTORY_PATH.test(path);
  if (status === 410) return reasons.some((r) => CALENDAR_EXPIRED_REASONS.includes(r));
  if (status !== 400) return false;
  // Drive: a changes page token it no longer takes is 400 `invalid` on pageToken (docs/providers/google.md#drive-changes).
  if (path !== undefined && DRIVE_CHANGES_PATH.test(path) && reasons.includes('invalid')) return true;
  return reasons.includes('EXPIRED_SYNC_TOKEN');
}

const DRIVE_CHANGES_PATH = /\/drive\/v3\/changes$/;

const GMAIL_HISTORY_PATH = /\/gmail\/v1\/users\/[^/]+\/history$/;
const CALENDAR_EXPIRED_REASONS = ['fullSyncRequired', 'updatedMinTooLongAgo'];

/** The path of the request that failed (gaxios keeps the prepared URL on the error's config). */
function requestPath(error: GaxiosError): string | undefined {
  const url: unknown = error.config?.url;
  // By shape, not instanceof: the URL may come from another realm (Jest's module registry, vm).
  if (typeof url === 'object' && url !== null && typeof (url as URL).pathname === 'string') {
    return (url as URL).pathname;
  }
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

/** Token and revoke endpoints: the `error` string decides, whatever the status. */
function classifyOAuthError(status: number, oauthError: string): ProviderErrorClass {
  if ((GOOGLE_DESCRIPTOR.revokedGrantErrors as readonly string[]).includes(oauthError)) {
    return { kind: 'auth_revoked', reason: oauthError };
  }
  if (status >= 500 || oauthError === 'temporarily_unavailable' || oauthError === 'server_error') {
    return { kind: 'transient', reason: code(oauthError) ?? `http ${status}` };
  }
  if (status === 429)
    return { kind: 'rate_limited', retryAfterMs: GOOGLE_DESCRIPTOR.defaultRetryAfterMs, guessed: true };
  // invalid_client, invalid_request, invalid_scope, unauthorized_client: our configuration is wrong.
  return { kind: 'permanent', reason: code(oauthError) ?? `http ${status}` };
}

function unknownFailure(error: unknown): ProviderErrorClass {
  return {
    kind: 'permanent',
    reason: unexpected(error),
  };
}
