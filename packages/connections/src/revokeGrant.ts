import { ClassifiedProviderError, type ProviderAdapter, type RevokeOutcome } from '@crm-sync/core';

/** What asking the provider to revoke came to; `failed` when it answered with an error we classified. */
export type RevokeResult = RevokeOutcome | 'failed';

/**
 * Asks the provider to end a grant. A classified provider failure is an outcome (the caller still forgets the
 * tokens and records it); anything else is a bug and is thrown.
 */
export async function revokeGrant(
  adapter: ProviderAdapter,
  tokens: { accessToken?: string; refreshToken?: string },
): Promise<RevokeResult> {
  try {
    return await adapter.oauth.revoke(tokens);
  } catch (error) {
    if (error instanceof ClassifiedProviderError) return 'failed';
    throw error;
  }
}
