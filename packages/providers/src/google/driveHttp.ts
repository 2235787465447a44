import { ClassifiedProviderError, type ProviderErrorClass } from '@crm-sync/core';
import { parseRetryAfter } from '../shared/retryAfter';
import { GOOGLE_DESCRIPTOR } from './descriptor';

/**
 * A Drive media answer (download or upload, made without the generated client) by its status: the body of such an
 * error is not read, it says nothing the status does not for these calls.
 */
export function classifyDriveResponse(response: Response): ProviderErrorClass {
  return classifyDriveStatus(response.status, response.headers.get(GOOGLE_DESCRIPTOR.retryAfterHeader));
}

/** The same from the status and the `Retry-After` header alone. */
export function classifyDriveStatus(status: number, retryAfter: string | null): ProviderErrorClass {
  if (status === 401) return { kind: 'auth_expired' };
  if (status === 429) {
    const told = parseRetryAfter(retryAfter);
    return told === undefined
      ? { kind: 'rate_limited', retryAfterMs: GOOGLE_DESCRIPTOR.defaultRetryAfterMs, guessed: true }
      : { kind: 'rate_limited', retryAfterMs: told };
  }
  if (status >= 500) return { kind: 'transient', reason: `http ${status}` };
  return { kind: 'permanent', reason: `http ${status}` };
}

export const driveFailure = (classification: ProviderErrorClass) =>
  new ClassifiedProviderError(classification, `google drive call failed: ${classification.kind}`);
