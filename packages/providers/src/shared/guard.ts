import { ClassifiedProviderError, type Provider, type ProviderErrorClass } from '@crm-sync/core';

/**
 * Runs one provider call and turns any failure into a `ClassifiedProviderError`. The client libraries put request
 * bodies, URLs with tokens (Google revoke) and response bodies on their errors, so the original error is NOT kept as
 * `cause`: the message is built from the classification only, which holds status codes and provider error codes.
 */
export async function guarded<T>(
  provider: Provider,
  operation: string,
  classify: (error: unknown) => ProviderErrorClass,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ClassifiedProviderError) throw error;
    const classification = classify(error);
    throw new ClassifiedProviderError(
      classification,
      `${provider} ${operation} failed: ${describe(classification)}`,
    );
  }
}

export function describe(classification: ProviderErrorClass): string {
  switch (classification.kind) {
    case 'auth_revoked':
    case 'transient':
    case 'permanent':
      return `${classification.kind} (${classification.reason})`;
    case 'rate_limited':
      return `rate_limited (retry after ${classification.retryAfterMs} ms)`;
    default:
      return classification.kind;
  }
}

/** Keeps only characters that can appear in provider error codes, so a reason never carries free text. */
export function code(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).slice(0, 80);
  return /^[A-Za-z0-9_.:\- ]+$/.test(text) ? text : undefined;
}
