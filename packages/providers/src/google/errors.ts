import { ClassifiedProviderError, type ProviderErrorClass } from '@crm-sync/core';
import { GaxiosError } from 'gaxios';
import { code } from '../shared/guard';
import { isNetworkError, unexpected } from '../shared/network';
import { parseRetryAfter } from '../shared/retryAfter';
import { GOOGLE_DESCRIPTOR } from './descriptor';

/** The two bodies Google answers with: OAuth `{error, error_description}` and APIs `{error: {code, errors[], status}}`. */
interface GoogleErrorBody {
  error?: string | { code?: number; status?: string; message?: string; errors?: Array<{ reason?: string }> };
  error_description?: string;
}

/** Maps anything a Google call threw onto the closed set of error kinds (ARCHITECTURE §4). */
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
  const apiStatus = body.error?.status;
  if (status === 401) return { kind: 'auth_expired' };
  const throttled = reasons.some((r) =>
    (GOOGLE_DESCRIPTOR.rateLimitReasons as readonly string[]).includes(r),
  );
  if (status === 429 || (status === 403 && (throttled || apiStatus === 'RESOURCE_EXHAUSTED'))) {
    const header = error.response?.headers.get(GOOGLE_DESCRIPTOR.retryAfterHeader);
    return {
      kind: 'rate_limited',
      retryAfterMs: parseRetryAfter(header) ?? GOOGLE_DESCRIPTOR.defaultRetryAfterMs,
    };
  }
  if (status >= 500 || status === 408) return { kind: 'transient', reason: `http ${status}` };
  const detail = code(reasons[0]) ?? code(apiStatus);
  return { kind: 'permanent', reason: detail ? `http ${status} ${detail}` : `http ${status}` };
}

/** Token and revoke endpoints: the `error` string decides, whatever the status. */
function classifyOAuthError(status: number, oauthError: string): ProviderErrorClass {
  if ((GOOGLE_DESCRIPTOR.revokedGrantErrors as readonly string[]).includes(oauthError)) {
    return { kind: 'auth_revoked', reason: oauthError };
  }
  if (status >= 500 || oauthError === 'temporarily_unavailable' || oauthError === 'server_error') {
    return { kind: 'transient', reason: code(oauthError) ?? `http ${status}` };
  }
  if (status === 429) return { kind: 'rate_limited', retryAfterMs: GOOGLE_DESCRIPTOR.defaultRetryAfterMs };
  // invalid_client, invalid_request, invalid_scope, unauthorized_client: our configuration is wrong.
  return { kind: 'permanent', reason: code(oauthError) ?? `http ${status}` };
}

function unknownFailure(error: unknown): ProviderErrorClass {
  return {
    kind: 'permanent',
    reason: unexpected(error),
  };
}
