import {
  type AuthorizationRequest,
  type CodeExchange,
  type ProviderIdentity,
  type ProviderOAuth,
  type Resource,
  type WriteResource,
  type RevokeOutcome,
  type TokenGrant,
} from '@crm-sync/core';
import { Client } from '@hubspot/api-client';
import { type RequestContext, type ResponseContext } from '@hubspot/api-client/lib/codegen/oauth/http/http';
import { type PromiseConfigurationOptions } from '@hubspot/api-client/lib/codegen/oauth/configuration';
import { type TokenResponseIF } from '@hubspot/api-client/lib/codegen/oauth/models/TokenResponseIF';
import { guarded } from '../shared/guard';
import { type OAuthClientOptions } from '../shared/options';
import { expiryFrom, scopesFor } from '../shared/scopes';
import { HUBSPOT_DESCRIPTOR, HUBSPOT_ENDPOINTS, type HubSpotEndpoints } from './descriptor';
import { classifyHubSpotError } from './errors';

/** No `fetch` here: the HubSpot SDK sends with node-fetch, and its `httpAgent` option has no effect (client.ts). */
export interface HubSpotOAuthOptions extends Omit<OAuthClientOptions, 'fetch'> {
  endpoints?: Partial<HubSpotEndpoints>;
}

export function createHubSpotOAuth(options: HubSpotOAuthOptions): ProviderOAuth {
  const endpoints: HubSpotEndpoints = { ...HUBSPOT_ENDPOINTS, ...options.endpoints };
  // The token calls carry no bearer token, so one SDK client serves every account. No SDK retries: a connect or a
  // refresh reports throttling at once (docs/providers/clients.md#client-retries).
  const oauthApi = new Client({
    basePath: endpoints.apiBaseUrl,
    numberOfApiCallRetries: 0,
  }).oauth;
  const call = <T>(operation: string, fn: () => Promise<T>) =>
    guarded('hubspot', operation, classifyHubSpotError, fn);
  // HubSpot's token response lists no scopes; its token-info call does.
  const grantedScopes = async (accessToken: string) =>
    (await oauthApi.accessTokensApi.get(accessToken)).scopes;
  // Writing objects (the only resource HubSpot writes) asks for every object type's write scopes.
  const scopes = (resources: readonly Resource[], writes: readonly WriteResource[] = []) => [
    ...new Set([
      ...scopesFor(
        'hubspot',
        HUBSPOT_DESCRIPTOR.identityScopes,
        HUBSPOT_DESCRIPTOR.scopesByResource,
        resources,
      ),
      ...(writes.includes('objects') ? Object.values(HUBSPOT_DESCRIPTOR.writeScopesByObjectType).flat() : []),
    ]),
  ];

  return {
    scopesFor: scopes,
    // Built by hand: the SDK's oauth.getAuthorizationUrl() hard-codes https://app.hubspot.com/oauth/authorize
    // (docs/providers/clients.md#hubspot-basepath), so it could never point at the sandbox, and it has no PKCE
    // parameters.
    authorizationUrl: (request: AuthorizationRequest) =>
      hubSpotAuthorizationUrl(endpoints, options, request, scopes),

    exchangeCode: ({ code, codeVerifier }: CodeExchange) =>
      call('code exchange', async () => {
        const tokens = await oauthApi.tokensApi.create(
          'authorization_code',
          code,
          options.redirectUri,
          options.clientId,
          options.clientSecret,
          undefined,
          withFormField('code_verifier', codeVerifier),
        );
        return toGrant(tokens, await grantedScopes(tokens.accessToken));
      }),

    refresh: (refreshToken: string) =>
      call('refresh', async () => {
        const tokens = await oauthApi.tokensApi.create(
          'refresh_token',
          undefined,
          undefined,
          options.clientId,
          options.clientSecret,
          refreshToken,
        );
        return toGrant(tokens, await grantedScopes(tokens.accessToken));
      }),

    identity: (accessToken: string) =>
      call('identity', async () => {
        const info = await oauthApi.accessTokensApi.get(accessToken);
        if (!info.hubId || !info.user) throw new Error('HubSpot token info lacks hub_id or user');
        // The portal (hub) is the account: its CRM objects are what we sync, whoever of its users consented.
        return { providerAccountId: String(info.hubId), email: info.user } satisfies ProviderIdentity;
      }),

    revoke: (tokens) => call('revoke', () => revokeHubSpot(oauthApi.refreshTokensApi, tokens.refreshToken)),
  };
}

export function hubSpotAuthorizationUrl(
  endpoints: HubSpotEndpoints,
  options: Pick<HubSpotOAuthOptions, 'clientId' | 'redirectUri'>,
  request: AuthorizationRequest,
  scopes: (resources: readonly Resource[], writes?: readonly WriteResource[]) => string[],
): string {
  const url = new URL(endpoints.authorizationUrl);
  url.search = new URLSearchParams({
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    scope: scopes(request.resources, request.writes).join(' '),
    state: request.state,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

/**
 * HubSpot's refresh-token DELETE removes the refresh token only: access tokens already issued work until they
 * expire (≤ 30 min), and the app stays installed in the portal.
 */
async function revokeHubSpot(
  api: Client['oauth']['refreshTokensApi'],
  refreshToken: string | undefined,
): Promise<RevokeOutcome> {
  // Without a refresh token there is nothing HubSpot can revoke; an access token lapses on its own.
  if (!refreshToken) return 'not_supported';
  try {
    await api.archive(refreshToken);
    return 'revoked';
  } catch (error) {
    const classification = classifyHubSpotError(error);
    if (classification.kind === 'auth_revoked') return 'already_invalid';
    if (classification.kind === 'permanent' && classification.reason.startsWith('http 404'))
      return 'already_invalid';
    throw error;
  }
}

/**
 * Adds one field to the SDK's form body: `tokensApi.create` has no parameter for the PKCE `code_verifier`, which
 * HubSpot's token endpoint accepts. The field is appended in a per-call request middleware.
 */
function withFormField(name: string, value: string): PromiseConfigurationOptions {
  return {
    middleware: [
      {
        pre: (context: RequestContext) => {
          const body = context.getBody();
          if (body instanceof URLSearchParams) body.append(name, value);
          return Promise.resolve(context);
        },
        post: (context: ResponseContext) => Promise.resolve(context),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

function toGrant(tokens: TokenResponseIF, grantedScopes: string[]): TokenGrant {
  return {
    accessToken: tokens.accessToken,
    // HubSpot returns a refresh token on every refresh; whether it is a new one is undocumented, so it is surfaced.
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    expiresAt: expiryFrom(tokens.expiresIn),
    grantedScopes,
  };
}
