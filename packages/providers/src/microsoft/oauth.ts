import {
  type AuthorizationRequest,
  type CodeExchange,
  type ProviderIdentity,
  type ProviderOAuth,
  type Resource,
  type TokenGrant,
  type WriteResource,
} from '@crm-sync/core';
// openid-client (not @azure/msal-node) for the token calls: MSAL keeps refresh tokens inside its cache and hands back
// only access tokens, so a rotated refresh token could not be sealed and stored by us; it also wants authority
// metadata, cloud discovery and `client_info` in token responses before it talks to a custom authority. openid-client
// v6 takes the two endpoint URLs as plain server metadata (no discovery request), returns the token response as
// sent (refresh_token included) and has a customFetch hook. It is ESM-only; Node 20.19+ require()s it and Jest
// transpiles it (jest.config.js). npm: openid-client 6.8.9, no engines restriction; msal-node 7.2.1 needs Node ≥ 20.
import * as oidc from 'openid-client';
import { guarded } from '../shared/guard';
import { type OAuthClientOptions } from '../shared/options';
import { expiryFrom, scopesFor, splitScopes, writeScopesFor } from '../shared/scopes';
import { MICROSOFT_DESCRIPTOR, MICROSOFT_ENDPOINTS, type MicrosoftEndpoints } from './descriptor';
import { classifyMicrosoftError } from './errors';
import { graphClient } from './graph';

export interface MicrosoftOAuthOptions extends OAuthClientOptions {
  endpoints?: Partial<MicrosoftEndpoints>;
}

/** The fields of Graph `GET /me` we read. */
interface GraphUser {
  id?: string;
  mail?: string | null;
  userPrincipalName?: string;
}

export function createMicrosoftOAuth(options: MicrosoftOAuthOptions): ProviderOAuth {
  const endpoints: MicrosoftEndpoints = { ...MICROSOFT_ENDPOINTS, ...options.endpoints };
  const config = tokenClientConfig(options, endpoints);
  const call = <T>(operation: string, fn: () => Promise<T>) =>
    guarded('microsoft', operation, classifyMicrosoftError, fn);
  // Write permissions are asked for besides the read ones; asking again for an existing account's connection
  // adds them to the user's consent (docs/providers/microsoft.md#contact-and-event-writes).
  const scopes = (resources: readonly Resource[], writes: readonly WriteResource[] = []) => [
    ...new Set([
      ...scopesFor(
        'microsoft',
        MICROSOFT_DESCRIPTOR.identityScopes,
        MICROSOFT_DESCRIPTOR.scopesByResource,
        resources,
      ),
      ...writeScopesFor(MICROSOFT_DESCRIPTOR.writeScopesByResource, writes),
    ]),
  ];

  return {
    scopesFor: scopes,
    refreshTokenExpiry: {
      rule: 'idle_refresh_token',
      lifetimeMs: MICROSOFT_DESCRIPTOR.refreshTokenLifetimeDays * 86_400_000,
      since: 'issued',
    },

    authorizationUrl(request: AuthorizationRequest): string {
      return oidc
        .buildAuthorizationUrl(config, {
          redirect_uri: options.redirectUri,
          scope: scopes(request.resources, request.writes).join(' '),
          state: request.state,
          code_challenge: request.codeChallenge,
          code_challenge_method: 'S256',
          response_mode: 'query',
          ...(request.loginHint ? { login_hint: request.loginHint } : {}),
        })
        .toString();
    },

    exchangeCode: ({ code, codeVerifier }: CodeExchange) =>
      call('code exchange', async () => {
        // openid-client reads the code from the callback URL it is given; state was already checked by the caller
        // against its own store, so the URL carries the code only and no state is expected.
        const callback = new URL(options.redirectUri);
        callback.search = new URLSearchParams({ code }).toString();
        const response = await oidc.authorizationCodeGrant(
          config,
          callback,
          { pkceCodeVerifier: codeVerifier, idTokenExpected: false },
          { redirect_uri: options.redirectUri },
        );
        return toGrant(response);
      }),

    // Microsoft rotates refresh tokens on every use: the one in this grant replaces the stored one.
    refresh: (refreshToken: string) =>
      call('refresh', async () =>
        toGrant(
          await oidc.refreshTokenGrant(config, refreshToken, {
            scope: MICROSOFT_DESCRIPTOR.refreshScopes.join(' '),
          }),
        ),
      ),

    identity: (accessToken: string) =>
      call('identity', async () => {
        const client = graphClient({
          baseUrl: endpoints.graphBaseUrl,
          version: MICROSOFT_DESCRIPTOR.graphVersion,
          accessToken,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        });
        const me = (await client.api('/me').select(['id', 'mail', 'userPrincipalName']).get()) as GraphUser;
        // `mail` is empty for accounts without an Exchange mailbox; the sign-in name is then the address we have.
        const email = me.mail || me.userPrincipalName;
        if (!me.id || !email) throw new Error('Graph /me lacks id or mail/userPrincipalName');
        return { providerAccountId: me.id, email } satisfies ProviderIdentity;
      }),

    /**
     * Microsoft's v2.0 endpoint has no RFC 7009 revocation. Graph `POST /me/revokeSignInSessions` exists, but it signs
     * the user out of every app and device in their tenant, far beyond "disconnect crm-sync", so it is not called:
     * revoking here means the caller deletes the tokens; the refresh token then dies unused after 90 days.
     */
    revoke: () => Promise.resolve('not_supported'),
  };
}

function tokenClientConfig(
  options: MicrosoftOAuthOptions,
  endpoints: MicrosoftEndpoints,
): oidc.Configuration {
  const server: oidc.ServerMetadata = {
    // Only compared against an id_token's `iss`; we never ask for one (no `openid` scope).
    issuer: new URL(endpoints.authorizationUrl).origin,
    authorization_endpoint: endpoints.authorizationUrl,
    token_endpoint: endpoints.tokenUrl,
  };
  const config = new oidc.Configuration(
    server,
    options.clientId,
    undefined,
    oidc.ClientSecretPost(options.clientSecret),
  );
  if (options.fetch) {
    const send = options.fetch;
    config[oidc.customFetch] = (url, init) => send(url, init as RequestInit);
  }
  if (new URL(endpoints.tokenUrl).protocol === 'http:') oidc.allowInsecureRequests(config);
  return config;
}

function toGrant(response: oidc.TokenEndpointResponse): TokenGrant {
  return {
    accessToken: response.access_token,
    ...(response.refresh_token ? { refreshToken: response.refresh_token } : {}),
    expiresAt: expiryFrom(response.expires_in),
    grantedScopes: splitScopes(response.scope),
  };
}
