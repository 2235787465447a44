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
import { CodeChallengeMethod, OAuth2Client, type Credentials } from 'google-auth-library';
// The one API module, not the `googleapis` index, which loads every Google API (~300 modules) on import.
import { oauth2 } from 'googleapis/build/src/apis/oauth2';
import { guarded } from '../shared/guard';
import { type OAuthClientOptions } from '../shared/options';
import { scopesFor, splitScopes, writeScopesFor } from '../shared/scopes';
import { GOOGLE_DESCRIPTOR, GOOGLE_ENDPOINTS, type GoogleEndpoints } from './descriptor';
import { classifyGoogleError } from './errors';

export interface GoogleOAuthOptions extends OAuthClientOptions {
  endpoints?: Partial<GoogleEndpoints>;
  /**
   * The OAuth consent screen is "External" with publishing status "Testing": Google then issues refresh tokens
   * that expire after 7 days (docs/providers/google.md#refresh-token-lifetime).
   */
  testingMode?: boolean;
}

/**
 * `refreshAccessToken()` (the public refresh) copies the stored refresh token over whatever the token endpoint
 * returned (docs/providers/clients.md#google-auth-library-refresh), which would hide a replacement refresh token. The
 * protected `refreshToken()` hands back the endpoint's own answer, so this subclass only makes that one call
 * reachable.
 */
class GoogleTokenClient extends OAuth2Client {
  refreshGrant(refreshToken: string) {
    return this.refreshToken(refreshToken);
  }
}

export function createGoogleOAuth(options: GoogleOAuthOptions): ProviderOAuth {
  const endpoints: GoogleEndpoints = { ...GOOGLE_ENDPOINTS, ...options.endpoints };
  // One client per call: OAuth2Client keeps credentials and in-flight refreshes as instance state, and this adapter
  // serves many accounts at once.
  const client = () =>
    new GoogleTokenClient({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      redirectUri: options.redirectUri,
      endpoints: {
        oauth2AuthBaseUrl: endpoints.authorizationUrl,
        oauth2TokenUrl: endpoints.tokenUrl,
        oauth2RevokeUrl: endpoints.revokeUrl,
      },
      ...(options.fetch ? { transporterOptions: { fetchImplementation: options.fetch } } : {}),
    });
  const call = <T>(operation: string, fn: () => Promise<T>) =>
    guarded('google', operation, classifyGoogleError, fn);

  // A write scope is asked for besides the read-only one: with include_granted_scopes Google adds it to the grant
  // the user already gave (incremental authorization, docs/providers/google.md#people-writes).
  const scopes = (resources: readonly Resource[], writes: readonly WriteResource[] = []) => [
    ...new Set([
      ...scopesFor('google', GOOGLE_DESCRIPTOR.identityScopes, GOOGLE_DESCRIPTOR.scopesByResource, resources),
      ...writeScopesFor(GOOGLE_DESCRIPTOR.writeScopesByResource, writes),
    ]),
  ];

  return {
    scopesFor: scopes,
    // A testing-mode grant dies within 7 days of its consent, long before six months unused could matter.
    refreshTokenExpiry: options.testingMode
      ? {
          rule: 'testing_mode_grant',
          lifetimeMs: GOOGLE_DESCRIPTOR.testingModeRefreshTokenDays * 86_400_000,
          since: 'issued',
        }
      : {
          rule: 'unused_refresh_token',
          lifetimeMs: GOOGLE_DESCRIPTOR.unusedRefreshTokenDays * 86_400_000,
          since: 'last_used',
        },

    authorizationUrl(request: AuthorizationRequest): string {
      return client().generateAuthUrl({
        // offline + consent: Google issues a refresh token only on a consent screen
        // (docs/providers/google.md#consent-and-refresh-tokens).
        access_type: 'offline',
        prompt: 'consent',
        include_granted_scopes: true,
        scope: scopes(request.resources, request.writes),
        state: request.state,
        code_challenge: request.codeChallenge,
        code_challenge_method: CodeChallengeMethod.S256,
        ...(request.loginHint ? { login_hint: request.loginHint } : {}),
      });
    },

    exchangeCode: ({ code, codeVerifier }: CodeExchange) =>
      call('code exchange', async () => toGrant((await client().getToken({ code, codeVerifier })).tokens)),

    refresh: (refreshToken: string) =>
      call('refresh', async () => toGrant((await client().refreshGrant(refreshToken)).tokens)),

    identity: (accessToken: string) =>
      call('identity', async () => {
        const auth = client();
        auth.setCredentials({ access_token: accessToken });
        // Per-API rootUrl: the global google.options({rootUrl}) does not redirect requests
        // (docs/providers/clients.md#googleapis-rooturl).
        const api = oauth2({ version: 'v2', auth, rootUrl: endpoints.apiRootUrl, retry: false });
        const { data } = await api.userinfo.get();
        if (!data.id || !data.email) throw new Error('Google userinfo lacks id or email');
        return { providerAccountId: data.id, email: data.email } satisfies ProviderIdentity;
      }),

    revoke: (tokens) => call('revoke', () => revokeGoogle(client(), tokens)),
  };
}

/** Revoking the refresh token ends the whole grant (its access tokens too); an access token is the fallback. */
async function revokeGoogle(
  client: OAuth2Client,
  tokens: { accessToken?: string; refreshToken?: string },
): Promise<RevokeOutcome> {
  const token = tokens.refreshToken ?? tokens.accessToken;
  if (!token) throw new Error('revoke needs a token');
  try {
    await client.revokeToken(token);
    return 'revoked';
  } catch (error) {
    // 400 invalid_token: already expired or revoked, which is what the caller wanted.
    const classification = classifyGoogleError(error);
    if (classification.kind === 'permanent' && classification.reason === 'invalid_token')
      return 'already_invalid';
    throw error;
  }
}

function toGrant(tokens: Credentials): TokenGrant {
  if (!tokens.access_token) throw new Error('Google token response lacks access_token');
  return {
    accessToken: tokens.access_token,
    ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
    // google-auth-library already turned expires_in into an absolute expiry_date (ms).
    expiresAt: typeof tokens.expiry_date === 'number' ? new Date(tokens.expiry_date) : null,
    grantedScopes: splitScopes(tokens.scope),
  };
}
