import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { type GrantFailure, type GrantResult, type SandboxContext } from '../../core/types';

type Form = Record<string, string | undefined>;

const meta = (routeId: string) => ({ sandbox: { provider: 'google' as const, routeId, auth: false } });

// Google's token-endpoint error bodies (docs/providers/google.md#token-errors).
const GRANT_ERRORS: Record<GrantFailure, { error: string; error_description: string }> = {
  unknown_code: { error: 'invalid_grant', error_description: 'Malformed auth code.' },
  code_reused: { error: 'invalid_grant', error_description: 'Bad Request' },
  code_expired: { error: 'invalid_grant', error_description: 'Bad Request' },
  redirect_mismatch: { error: 'redirect_uri_mismatch', error_description: 'Bad Request' },
  client_mismatch: { error: 'unauthorized_client', error_description: 'Unauthorized' },
  pkce_mismatch: { error: 'invalid_grant', error_description: 'Invalid code verifier.' },
  unknown_token: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
  token_revoked: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
};

const formOf = (request: FastifyRequest): Form => ({
  ...((request.query ?? {}) as Form),
  ...(typeof request.body === 'object' && request.body !== null ? (request.body as Form) : {}),
});

/** client_secret_post (the library default) or client_secret_basic. */
function clientCredentials(request: FastifyRequest, form: Form): { id?: string; secret?: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (basic) {
    const [id, secret] = Buffer.from(basic[1] as string, 'base64')
      .toString('utf8')
      .split(':');
    return { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(secret ?? '') };
  }
  return { id: form.client_id, secret: form.client_secret };
}

function sendGrant(reply: FastifyReply, result: GrantResult) {
  if (!result.ok)
    return reply.code(result.reason === 'client_mismatch' ? 401 : 400).send(GRANT_ERRORS[result.reason]);
  const { grant } = result;
  return reply.header('cache-control', 'no-store').send({
    access_token: grant.accessToken,
    expires_in: grant.expiresInSeconds,
    ...(grant.refreshToken === undefined ? {} : { refresh_token: grant.refreshToken }),
    scope: grant.scopes.join(' '),
    token_type: 'Bearer',
  });
}

/** POST /token (authorization_code, refresh_token) and POST /revoke. */
export function registerToken(app: FastifyInstance, ctx: SandboxContext): void {
  app.post('/token', { config: meta('oauth.token') }, async (request, reply) => {
    const form = formOf(request);
    const client = clientCredentials(request, form);
    if (!client.id || !ctx.clients.verifySecret(client.id, client.secret)) {
      return reply.code(401).send({ error: 'invalid_client', error_description: 'Unauthorized' });
    }
    if (form.grant_type === 'authorization_code') {
      if (!form.code || !form.redirect_uri) {
        return reply
          .code(400)
          .send({ error: 'invalid_request', error_description: 'Missing required parameter: code' });
      }
      return sendGrant(
        reply,
        ctx.tokens.exchangeCode({
          provider: 'google',
          code: form.code,
          clientId: client.id,
          redirectUri: form.redirect_uri,
          ...(form.code_verifier === undefined ? {} : { codeVerifier: form.code_verifier }),
        }),
      );
    }
    if (form.grant_type === 'refresh_token') {
      if (!form.refresh_token) {
        return reply
          .code(400)
          .send({ error: 'invalid_request', error_description: 'Missing required parameter: refresh_token' });
      }
      return sendGrant(reply, ctx.tokens.refresh('google', form.refresh_token, client.id));
    }
    return reply
      .code(400)
      .send({ error: 'unsupported_grant_type', error_description: 'Invalid grant_type: ' });
  });

  app.post('/revoke', { config: meta('oauth.revoke') }, async (request, reply) => {
    const token = formOf(request).token;
    if (token && ctx.tokens.revoke('google', token)) return reply.send({});
    return reply.code(400).send({ error: 'invalid_token', error_description: 'Token expired or revoked' });
  });
}
