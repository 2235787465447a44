import { ClassifiedProviderError, type Provider } from '@crm-sync/core';
import { QUEUE_NAMES } from '@crm-sync/queue';
import type { ConnectionsDeps } from './deps';
import { persistConnection } from './persistConnection';
import { missingScopesByResource } from './scopes';

export interface CallbackParams {
  provider: Provider;
  state?: string;
  code?: string;
  /** Set by the provider when the user declined or the request was refused (`access_denied`, ...). */
  error?: string;
}

/** What the callback route renders: a 400 page for a bad state, otherwise a redirect back to the CRM. */
export type CallbackOutcome =
  | { kind: 'invalid_state' }
  | { kind: 'denied'; redirectUrl: string; error: string }
  | { kind: 'provider_failed'; redirectUrl: string; reason: string }
  | {
      kind: 'connected';
      redirectUrl: string;
      connectionId: string;
      reconnected: boolean;
      missingResources: string[];
    };

/**
 * Finishes a consent: redeems the state once, exchanges the code with its PKCE verifier, looks up who the
 * account is, stores everything in one transaction and announces `connection.connected`. Any failure before
 * the transaction commits leaves no row, credential or event behind.
 */
export async function completeConnect(
  deps: ConnectionsDeps,
  params: CallbackParams,
): Promise<CallbackOutcome> {
  if (!params.state) return { kind: 'invalid_state' };
  const pending = await deps.states.consume(params.state);
  if (!pending || pending.provider !== params.provider) return { kind: 'invalid_state' };
  if (params.error || !params.code) {
    return { kind: 'denied', redirectUrl: pending.redirectUrl, error: params.error ?? 'missing_code' };
  }
  const adapter = deps.adapters.get(params.provider);
  if (!adapter) return { kind: 'invalid_state' };
  const oauth = adapter.oauth;
  let grant, identity;
  try {
    grant = await oauth.exchangeCode({ code: params.code, codeVerifier: pending.codeVerifier });
    identity = await oauth.identity(grant.accessToken);
  } catch (error) {
    if (!(error instanceof ClassifiedProviderError)) throw error;
    return { kind: 'provider_failed', redirectUrl: pending.redirectUrl, reason: error.classification.kind };
  }
  const missing = missingScopesByResource(oauth, pending.resources, grant.grantedScopes);
  const { connectionId, reconnected } = await deps.db.transaction((manager) =>
    persistConnection(manager, deps.credentials, {
      provider: params.provider,
      tenantId: pending.tenantId,
      crmUserId: pending.crmUserId,
      identity,
      resources: pending.resources,
      requestedScopes: pending.scopes,
      grant,
      missing,
    }),
  );
  // After commit: the sync states are already due, so a lost event only delays the first sync to the next
  // scheduler tick; the event makes it start at once.
  await deps.producer.publish(
    QUEUE_NAMES.connectionEvents,
    {
      type: 'connection.connected',
      tenantId: pending.tenantId,
      connectionId,
      provider: params.provider,
      reconnected,
    },
    deps.now?.(),
  );
  return {
    kind: 'connected',
    redirectUrl: pending.redirectUrl,
    connectionId,
    reconnected,
    missingResources: Object.keys(missing),
  };
}
