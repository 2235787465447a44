import { ClassifiedProviderError, type ProviderErrorClass } from '@crm-sync/core';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { ClientError, ResponseBodyError } from 'openid-client';
import { code } from '../shared/guard';
import { isNetworkError, unexpected } from '../shared/network';
import { parseRetryAfter } from '../shared/retryAfter';
import { MICROSOFT_DESCRIPTOR } from './descriptor';

/** Graph error codes that are throttling even when the status is not 429 (Outlook mailbox concurrency). */
const THROTTLE_CODES = new Set(['TooManyRequests', 'activityLimitReached', 'ApplicationThrottled']);

/**
 * Graph's "this delta/skip token is no longer usable, start the round over" codes (delta-query overview; seen both as
 * `syncStateNotFound` and `SyncStateNotFound`, on a 410 or a 400), compared lower-cased.
 */
const RESYNC_CODES = new Set(['syncstatenotfound', 'resyncrequired', 'syncstateinvalid']);

/** Maps anything a Microsoft call threw (openid-client token errors, GraphError) onto the closed set of kinds. */
export function classifyMicrosoftError(error: unknown): ProviderErrorClass {
  if (error instanceof ClassifiedProviderError) return error.classification;
  if (error instanceof ResponseBodyError) return classifyTokenError(error);
  if (error instanceof GraphError) return classifyGraphError(error);
  if (error instanceof ClientError && error.cause instanceof Response) {
    // A token-endpoint answer that is not an OAuth error body (e.g. a bare 502 from a proxy).
    return byStatus(error.cause.status, error.cause.headers, undefined);
  }
  if (isNetworkError(error)) return { kind: 'transient', reason: 'network' };
  return {
    kind: 'permanent',
    reason: unexpected(error),
  };
}

function classifyTokenError(error: ResponseBodyError): ProviderErrorClass {
  const codes = Array.isArray(error.cause.error_codes) ? error.cause.error_codes : [];
  const aadsts = codes.length > 0 ? ` AADSTS${codes.map((c) => code(c) ?? '?').join(',')}` : '';
  if ((MICROSOFT_DESCRIPTOR.reauthErrors as readonly string[]).includes(error.error)) {
    return { kind: 'auth_revoked', reason: `${error.error}${aadsts}` };
  }
  if (error.error === 'temporarily_unavailable' || error.error === 'server_error') {
    return { kind: 'transient', reason: error.error };
  }
  if (error.status === 429 || error.status >= 500) {
    return byStatus(error.status, error.response.headers, code(error.error));
  }
  // invalid_client, invalid_request, invalid_scope, unauthorized_client: our registration or request is wrong.
  return { kind: 'permanent', reason: `${code(error.error) ?? `http ${error.status}`}${aadsts}` };
}

function classifyGraphError(error: GraphError): ProviderErrorClass {
  // The Graph client reports failures below HTTP as status -1 (no response).
  if (error.statusCode <= 0) return { kind: 'transient', reason: 'network' };
  if (error.statusCode === 401) return { kind: 'auth_expired' };
  // 410 Gone on a delta request means "restart with a full sync" (maintenance, migration, evicted token).
  if (error.statusCode === 410 || (error.code && RESYNC_CODES.has(error.code.toLowerCase()))) {
    return { kind: 'cursor_expired' };
  }
  if (error.code && THROTTLE_CODES.has(error.code)) {
    return byStatus(429, error.headers, code(error.code));
  }
  return byStatus(error.statusCode, error.headers, code(error.code ?? undefined));
}

// Graph and Entra send Retry-After on 503/504 when they shed load (throttling doc), so those wait like a 429.
function byStatus(
  status: number,
  headers: Headers | undefined,
  detail: string | undefined,
): ProviderErrorClass {
  if (status === 429 || ((status === 503 || status === 504) && headers?.has('retry-after'))) {
    const told = parseRetryAfter(headers?.get(MICROSOFT_DESCRIPTOR.retryAfterHeader));
    return told === undefined
      ? { kind: 'rate_limited', retryAfterMs: MICROSOFT_DESCRIPTOR.defaultRetryAfterMs, guessed: true }
      : { kind: 'rate_limited', retryAfterMs: told };
  }
  if (status >= 500 || status === 408) return { kind: 'transient', reason: `http ${status}` };
  // 403 ErrorAccessDenied / Authorization_RequestDenied: a missing scope or a tenant policy; retrying cannot help.
  return { kind: 'permanent', reason: detail ? `http ${status} ${detail}` : `http ${status}` };
}
