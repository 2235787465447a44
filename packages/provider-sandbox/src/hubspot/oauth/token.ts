import { type FastifyInstance } from 'fastify';
import { type GrantFailure, type GrantResult, type RouteMeta, type SandboxContext } from '../../core/types';
import { oauthError, type OAuthErrorStatus } from '../errors';
import { type TokenResponseWire } from '../types';

const meta: RouteMeta = { provider: 'hubspot', routeId: 'oauth.token', auth: false };

type Form = Record<string, string | undefined>;

const FAILURES: Record<GrantFailure, OAuthErrorStatus> = {
  unknown_code: 'BAD_AUTH_CODE',
  code_reused: 'BAD_AUTH_CODE',
  code_expired: 'BAD_AUTH_CODE',
  pkce_mismatch: 'BAD_AUTH_CODE',
  redirect_mismatch: 'BAD_REDIRECT_URI',
  client_mismatch: 'BAD_CLIENT_ID',
  unknown_token: 'BAD_REFRESH_TOKEN',
  token_revoked: 'BAD_REFRESH_TOKEN',
};

function grant(ctx: SandboxContext, form: Form, clientId: string): GrantResult | OAuthErrorStatus {
  if (form.grant_type === 'authorization_code') {
    if (form.code === undefined) return 'BAD_AUTH_CODE';
    return ctx.tokens.exchangeCode({
      provider: 'hubspot',
      code: form.code,
      clientId,
      redirectUri: form.redirect_uri ?? '',
      ...(form.code_verifier === undefined ? {} : { codeVerifier: form.code_verifier }),
    });
  }
  if (form.grant_type === 'refresh_token') {
    if (form.refresh_token === undefined) return 'BAD_REFRESH_TOKEN';
    return ctx.tokens.refresh('hubspot', form.refresh_token, clientId);
  }
  return 'BAD_GRANT_TYPE';
}

/**
 * `POST /oauth/v1/token` (form). Whether a refresh rotates the refresh token follows the account's
 * `refreshRotation`: `same` answers with the token that was sent, `rotate` with a new one and the
 * old one then fails with BAD_REFRESH_TOKEN (undocumented, so configurable:
 * docs/providers/hubspot.md#tokens-and-refresh).
 */
export function registerToken(app: FastifyInstance, ctx: SandboxContext): void {
  app.post('/oauth/v1/token', { config: { sandbox: meta } }, async (request, reply) => {
    const form = (request.body ?? {}) as Form;
    const clientId = form.client_id ?? '';
    if (ctx.clients.get(clientId) === undefined) return reply.code(400).send(oauthError('BAD_CLIENT_ID'));
    if (!ctx.clients.verifySecret(clientId, form.client_secret))
      return reply.code(400).send(oauthError('BAD_CLIENT_SECRET'));
    const result = grant(ctx, form, clientId);
    if (typeof result === 'string') return reply.code(400).send(oauthError(result));
    if (!result.ok) return reply.code(400).send(oauthError(FAILURES[result.reason]));
    const refreshToken = result.grant.refreshToken ?? form.refresh_token;
    if (refreshToken === undefined) throw new Error('hubspot grant without a refresh token');
    const body: TokenResponseWire = {
      token_type: 'bearer',
      refresh_token: refreshToken,
      access_token: result.grant.accessToken,
      expires_in: result.grant.expiresInSeconds,
    };
    return body;
  });
}
