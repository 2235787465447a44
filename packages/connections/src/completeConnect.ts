import {
  ClassifiedProviderError,
  type Provider,
  type ProviderAdapter,
  type TokenGrant,
} from '@crm-sync/core';
import { publishInTransaction } from '@crm-sync/outbox';
import { QUEUE_NAMES } from '@crm-sync/queue';
import type { ConnectionsDeps } from './deps';
import { persistConnection, type NewGrant, type PersistOutcome } from './persistConnection';
import { revokeGrant } from './revokeGrant';
import { missingScopesByResource } from './scopes';
import { browserKeyMatches, type PendingConnect } from './stateStore';
import { refuseTakeover } from './takeover';

export interface CallbackParams {
  provider: Provider;
  state?: string;
  code?: string;
  /** Set by the provider when the user declined or the request was refused (`access_denied`, ...). */
  error?: string;
  /** The browser key the request's cookie for a flow carries (docs/connect-flow.md), if any. */
  browserKeyFor: (flowId: string) => string | undefined;
}

/** Codes the CRM's redirect URL receives as `error` (documented in docs/connect-flow.md). */
export type CallbackErrorCode = 'access_denied' | 'provider_error' | 'account_already_connected';

/**
 * What the callback route renders: a 400 page for a bad state (or a browser that did not open the flow),
 * otherwise a redirect back to the CRM. `flowId` names the cookie to clear.
 */
export type CallbackOutcome =
  | { kind: 'invalid_state'; flowId?: string }
  | { kind: 'failed'; flowId: string; redirectUrl: string; error: CallbackErrorCode; reason: string }
  | {
      kind: 'connected';
      flowId: string;
      redirectUrl: string;
      connectionId: string;
      reconnected: boolean;
      missingResources: string[];
    };

/**
 * Finishes a consent: redeems the state once, checks the browser that opened the flow is the one calling back,
 * exchanges the code with its PKCE verifier, looks up who the account is, stores everything and the
 * `connection.connected` event (through the outbox) in one transaction. Any failure after the exchange revokes the new grant at the provider;
 * nothing before the transaction commits leaves a row, credential or event behind.
 */
export async function completeConnect(
  deps: ConnectionsDeps,
  params: CallbackParams,
): Promise<CallbackOutcome> {
  if (!params.state) return { kind: 'invalid_state' };
  // Consumed before the cookie check: a callback from the wrong browser burns the state for everyone.
  const pending = await deps.states.consume(params.state);
  if (!pending) return { kind: 'invalid_state' };
  const { flowId } = pending;
  const adapter = deps.adapters.get(params.provider);
  if (pending.provider !== params.provider || !adapter) return { kind: 'invalid_state', flowId };
  if (!browserKeyMatches(pending, params.browserKeyFor(flowId))) return { kind: 'invalid_state', flowId };
  const fail = (error: CallbackErrorCode, reason: string): CallbackOutcome => ({
    kind: 'failed',
    flowId,
    redirectUrl: pending.redirectUrl,
    error,
    reason,
  });
  if (params.error || !params.code) return fail('access_denied', params.error ?? 'missing_code');
  let grant: TokenGrant;
  try {
    grant = await adapter.oauth.exchangeCode({ code: params.code, codeVerifier: pending.codeVerifier });
  } catch (error) {
    if (!(error instanceof ClassifiedProviderError)) throw error;
    return fail('provider_error', error.classification.kind);
  }
  let stored: Awaited<ReturnType<typeof store>>;
  try {
    stored = await store(deps, adapter, params.provider, pending, grant);
  } catch (error) {
    // Nothing was stored: a grant nobody holds must not stay alive at the provider. A failing revoke must not
    // hide the error that got us here, so its own failure is dropped.
    await revokeGrant(adapter, grant).catch(() => undefined);
    if (!(error instanceof ClassifiedProviderError)) throw error;
    return fail('provider_error', error.classification.kind);
  }
  if (stored.kind === 'owned_by_another') return fail('account_already_connected', 'owned_by_another');
  const { connectionId, reconnected } = stored;
  return {
    kind: 'connected',
    flowId,
    redirectUrl: pending.redirectUrl,
    connectionId,
    reconnected,
    missingResources: stored.missingResources,
  };
}

/** Stores the grant, or refuses it (revoked, audited) when another CRM user holds the account. */
async function store(
  deps: ConnectionsDeps,
  adapter: ProviderAdapter,
  provider: Provider,
  pending: PendingConnect,
  grant: TokenGrant,
): Promise<PersistOutcome & { missingResources: string[] }> {
  const identity = await adapter.oauth.identity(grant.accessToken);
  const missing = missingScopesByResource(adapter.oauth, pending.resources, grant.grantedScopes);
  const input: NewGrant = {
    provider,
    tenantId: pending.tenantId,
    crmUserId: pending.crmUserId,
    identity,
    resources: pending.resources,
    requestedScopes: pending.scopes,
    grant,
    missing,
  };
  const persisted = await deps.db.transaction(async (manager) => {
    const outcome = await persistConnection(manager, deps, input);
    // The sync states are due already, so the event only makes the first sync start at once instead of at the
    // next scheduler tick; it commits with the connection so the worker never hears of one that does not exist.
    if (outcome.kind !== 'owned_by_another') {
      await publishInTransaction(
        manager,
        QUEUE_NAMES.connectionEvents,
        {
          type: 'connection.connected',
          tenantId: pending.tenantId,
          connectionId: outcome.connectionId,
          provider,
          reconnected: outcome.reconnected,
        },
        deps.now?.(),
      );
    }
    return outcome;
  });
  if (persisted.kind === 'owned_by_another') await refuseTakeover(deps, adapter, input, persisted);
  return { ...persisted, missingResources: Object.keys(missing) };
}
