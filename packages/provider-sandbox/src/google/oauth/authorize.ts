import { type FastifyInstance, type FastifyReply } from 'fastify';
import { grantedScopes, type Account, type PkceMethod, type SandboxContext } from '../../core/types';
import { one } from '../params';
import { googleRedirectRule } from './redirectUri';

const meta = { sandbox: { provider: 'google' as const, routeId: 'oauth.authorize', auth: false } };

/** Google shows an error page (no redirect) when the client or redirect URI cannot be trusted. */
const errorPage = (reply: FastifyReply, code: string, detail: string) =>
  reply
    .code(400)
    .type('text/html')
    .send(`<html><body><h1>Error 400: ${code}</h1><p>${escapeHtml(detail)}</p></body></html>`);

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * GET /o/oauth2/v2/auth: validates like Google, then consents automatically as the account named
 * by `login_hint` (or the configured default) and redirects back with a code.
 */
export function registerAuthorize(app: FastifyInstance, ctx: SandboxContext): void {
  const consented = new Set<string>();

  app.get('/o/oauth2/v2/auth', { config: meta }, async (request, reply) => {
    const clientId = one(request, 'client_id');
    const redirectUri = one(request, 'redirect_uri');
    if (!clientId || !ctx.clients.get(clientId))
      return errorPage(reply, 'invalid_client', 'The OAuth client was not found.');
    if (!redirectUri || !ctx.clients.redirectAllowed(clientId, redirectUri, googleRedirectRule)) {
      return errorPage(
        reply,
        'redirect_uri_mismatch',
        "You can't sign in because this app sent an invalid request.",
      );
    }
    if (one(request, 'response_type') !== 'code')
      return errorPage(reply, 'unsupported_response_type', 'response_type must be code');
    const scopes = (one(request, 'scope') ?? '').split(' ').filter(Boolean);
    if (scopes.length === 0) return errorPage(reply, 'invalid_request', 'Missing required parameter: scope');
    const challenge = one(request, 'code_challenge');
    const method = one(request, 'code_challenge_method') ?? (challenge ? 'plain' : undefined);
    if (method !== undefined && method !== 'S256' && method !== 'plain') {
      return errorPage(reply, 'invalid_request', 'Invalid code_challenge_method');
    }
    if (method !== undefined && (challenge === undefined || !/^[A-Za-z0-9._~-]{43,128}$/.test(challenge))) {
      return errorPage(reply, 'invalid_request', 'Invalid code_challenge');
    }

    const back = new URL(redirectUri);
    const state = one(request, 'state');
    if (state !== undefined) back.searchParams.set('state', state);
    const behaviour = ctx.authorize('google');
    const account = chooseAccount(ctx, one(request, 'login_hint'));
    if (behaviour.denyNext > 0 || !account) {
      if (behaviour.denyNext > 0) behaviour.denyNext -= 1;
      back.searchParams.set('error', 'access_denied');
      return reply.redirect(back.toString(), 302);
    }

    // Like Google, a refresh token comes only with offline access on first consent or prompt=consent.
    const consentKey = `${account.id}:${clientId}`;
    const prompts = (one(request, 'prompt') ?? '').split(' ');
    const offline =
      one(request, 'access_type') === 'offline' &&
      (prompts.includes('consent') || !consented.has(consentKey));
    consented.add(consentKey);
    const code = ctx.tokens.issueCode({
      provider: 'google',
      accountId: account.id,
      clientId,
      redirectUri,
      scopes: grantedScopes(scopes, behaviour),
      ...(challenge === undefined
        ? {}
        : { codeChallenge: challenge, codeChallengeMethod: method as PkceMethod }),
      offline,
    });
    back.searchParams.set('code', code);
    back.searchParams.set('scope', grantedScopes(scopes, behaviour).join(' '));
    back.searchParams.set('iss', 'https://accounts.google.com');
    return reply.redirect(back.toString(), 302);
  });
}

function chooseAccount(ctx: SandboxContext, loginHint: string | undefined): Account | undefined {
  const email = loginHint ?? ctx.authorize('google').defaultLoginEmail;
  if (email !== undefined) return ctx.accounts.findByEmail('google', email);
  const all = ctx.accounts.list('google');
  return all.length === 1 ? all[0] : undefined;
}
