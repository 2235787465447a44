import { randomUUID } from 'node:crypto';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { type GrantFailure, type GrantResult, type RouteMeta, type SandboxContext } from '../../core/types';
import { type AadstsCode, aadErrorBody, aadErrorStatus } from './errors';
import { type RefreshActivity } from './refreshActivity';
import { type RefreshAliases } from './refreshAliases';

const meta: RouteMeta = { provider: 'microsoft', routeId: 'identity.token', auth: false };

type Form = Record<string, string | undefined>;

/** What each core grant failure looks like from Entra (all travel as `invalid_grant`). */
const FAILURE_CODES: Record<GrantFailure, AadstsCode> = {
  unknown_code: 70000,
  code_reused: 54005,
  code_expired: 70008,
  redirect_mismatch: 50011,
  client_mismatch: 70000,
  pkce_mismatch: 501481,
  unknown_token: 70000,
  token_revoked: 50173,
};

function sendAadError(reply: FastifyReply, ctx: SandboxContext, code: AadstsCode, detail?: string) {
  const ids = { traceId: randomUUID(), correlationId: randomUUID(), now: new Date(ctx.clock.now()) };
  return reply
    .code(aadErrorStatus(code))
    .header('cache-control', 'no-store')
    .send(aadErrorBody(code, ids, detail));
}

/** Client credentials come in the form or as HTTP Basic; both are accepted by Entra. */
function clientCredentials(request: FastifyRequest, form: Form) {
  const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (basic) {
    const [id = '', secret = ''] = Buffer.from(basic[1] as string, 'base64')
      .toString()
      .split(':');
    return { clientId: decodeURIComponent(id), clientSecret: decodeURIComponent(secret) };
  }
  return { clientId: form.client_id, clientSecret: form.client_secret };
}

function grantFor(
  ctx: SandboxContext,
  form: Form,
  clientId: string,
  activity: RefreshActivity,
  aliases: RefreshAliases,
): GrantResult | AadstsCode {
  if (form.grant_type === 'authorization_code') {
    if (form.code === undefined || form.redirect_uri === undefined) return 900144;
    return ctx.tokens.exchangeCode({
      provider: 'microsoft',
      code: form.code,
      clientId,
      redirectUri: form.redirect_uri,
      ...(form.code_verifier === undefined ? {} : { codeVerifier: form.code_verifier }),
    });
  }
  if (form.grant_type === 'refresh_token') {
    if (form.refresh_token === undefined) return 900144;
    if (activity.idle(form.refresh_token)) return 700082;
    return ctx.tokens.refresh('microsoft', aliases.resolve(form.refresh_token), clientId);
  }
  return form.grant_type === undefined ? 900144 : 70003;
}

export function registerToken(
  app: FastifyInstance,
  ctx: SandboxContext,
  activity: RefreshActivity,
  aliases: RefreshAliases,
): void {
  app.post('/:tenant/oauth2/v2.0/token', { config: { sandbox: meta } }, async (request, reply) => {
    const form = (request.body ?? {}) as Form;
    const { clientId, clientSecret } = clientCredentials(request, form);
    if (clientId === undefined) return sendAadError(reply, ctx, 900144, "Missing parameter: 'client_id'.");
    if (ctx.clients.get(clientId) === undefined) return sendAadError(reply, ctx, 700016);
    if (clientSecret === undefined) return sendAadError(reply, ctx, 7000218);
    if (!ctx.clients.verifySecret(clientId, clientSecret)) return sendAadError(reply, ctx, 7000215);
    const result = grantFor(ctx, form, clientId, activity, aliases);
    if (typeof result === 'number') return sendAadError(reply, ctx, result);
    if (!result.ok) return sendAadError(reply, ctx, FAILURE_CODES[result.reason]);
    const { grant } = result;
    // Entra answers every refresh with a new refresh token: the core minted one (strict `rotate`), or a new alias of
    // the grant's token, the used one staying valid as Entra's does.
    const refreshToken =
      grant.refreshToken ??
      (form.grant_type === 'refresh_token' && form.refresh_token !== undefined
        ? aliases.mint(aliases.resolve(form.refresh_token))
        : undefined);
    if (refreshToken !== undefined) activity.touch(refreshToken);
    return reply.header('cache-control', 'no-store').send({
      token_type: 'Bearer',
      scope: grant.scopes.join(' '),
      expires_in: grant.expiresInSeconds,
      ext_expires_in: grant.expiresInSeconds,
      access_token: grant.accessToken,
      ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
    });
  });
}
