import { isResourceOf, type Provider, type Resource, type WriteResource } from '@crm-sync/core';
import type { ConnectionsDeps } from './deps';
import { ConnectRequestError } from './errors';

export interface ConnectRequest {
  provider: Provider;
  tenantId: string;
  crmUserId: string;
  resources: Resource[];
  /**
   * Write-back resources the connection will write (docs/write-back.md): their scopes are asked for too. Asked of an
   * existing connection's account, this adds them to its grant (Google: include_granted_scopes) and the callback
   * updates the same connection, its data kept.
   */
  writes?: WriteResource[];
  /** Where the browser goes after the callback; checked against an allowlist by the caller. */
  redirectUrl: string;
  loginHint?: string;
}

/**
 * Binds a fresh state + PKCE verifier to the request and returns the id of the flow a browser opens (once) to be
 * sent to the provider's consent page; the state itself never leaves connect-api and the browser.
 */
export async function startConnect(
  deps: Pick<ConnectionsDeps, 'adapters' | 'states'>,
  request: ConnectRequest,
): Promise<{ flowId: string; expiresInSeconds: number }> {
  const unsupported = request.resources.filter((r) => !isResourceOf(request.provider, r));
  if (unsupported.length > 0) {
    throw new ConnectRequestError(`${request.provider} does not offer: ${unsupported.join(', ')}`);
  }
  const adapter = deps.adapters.get(request.provider);
  if (!adapter) throw new ConnectRequestError(`${request.provider} is not configured`);
  const writes = request.writes ?? [];
  const unwritable = writes.filter((w) => !adapter.writes?.[w]);
  if (unwritable.length > 0) {
    throw new ConnectRequestError(`${request.provider} cannot write: ${unwritable.join(', ')}`);
  }
  const { flowId } = await deps.states.create(
    {
      provider: request.provider,
      tenantId: request.tenantId,
      crmUserId: request.crmUserId,
      resources: request.resources,
      scopes: adapter.oauth.scopesFor(request.resources, writes),
      redirectUrl: request.redirectUrl,
    },
    ({ state, codeChallenge }) =>
      adapter.oauth.authorizationUrl({
        state,
        codeChallenge,
        resources: request.resources,
        writes,
        loginHint: request.loginHint,
      }),
  );
  return { flowId, expiresInSeconds: deps.states.ttlSeconds };
}
