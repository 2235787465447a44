import { ClassifiedProviderError, type ProviderOAuth } from '@crm-sync/core';
import type { BrokerTokens } from './types';

/**
 * Runs a provider call with the connection's token from the one refresh path; when the provider refuses the token
 * (`auth_expired`), once more with a fresh one, naming the refused token so a refresh made meanwhile is reused.
 */
export async function withFreshToken<T>(
  tokens: BrokerTokens,
  connectionId: string,
  oauth: ProviderOAuth,
  call: (accessToken: string) => Promise<T>,
): Promise<T> {
  const token = await tokens.current(connectionId, oauth);
  return call(token.accessToken).catch(async (error: unknown) => {
    if (!(error instanceof ClassifiedProviderError) || error.classification.kind !== 'auth_expired')
      throw error;
    const fresh = await tokens.current(connectionId, oauth, { force: true, refused: token.accessToken });
    return call(fresh.accessToken);
  });
}
