import { randomUUID } from 'node:crypto';
import { type FastifyInstance, type FastifyReply } from 'fastify';
import {
  grantedScopes,
  type Account,
  type PkceMethod,
  type RouteMeta,
  type SandboxContext,
} from '../../core/types';
import { microsoftRedirectRule } from './redirectUri';

const meta: RouteMeta = { provider: 'microsoft', routeId: 'identity.authorize', auth: false };

type Query = Record<string, string | undefined>;

/** Errors Entra shows on its own page: the redirect URI is not trusted yet, so never redirect. */
function errorPage(reply: FastifyReply, code: number, message: string) {
  return reply.code(400).type('text/plain').send(`AADSTS${code}: ${message}`);
}

function redirectWith(reply: FastifyReply, query: Query, params: Record<string, string>) {
  const target = new URL(query.redirect_uri as string);
  const values = new URLSearchParams({
    ...params,
    ...(query.state === undefined ? {} : { state: query.state }),
  });
  // response_mode=fragment puts the answer after `#`; query (the default for code) after `?`.
  if (query.response_mode === 'fragment') target.hash = values.toString();
  else for (const [key, value] of values) target.searchParams.set(key, value);
  return reply.redirect(target.toString(), 302);
}

/** The signed-in user: `login_hint`, else the sandbox's default login, else the only account. */
function signedInAccount(ctx: SandboxContext, loginHint: string | undefined): Account | undefined {
  const email = loginHint ?? ctx.authorize('microsoft').defaultLoginEmail;
  if (email !== undefined) return ctx.accounts.findByEmail('microsoft', email);
  const accounts = ctx.accounts.list('microsoft');
  return accounts.length === 1 ? accounts[0] : undefined;
}

function requestError(query: Query): string | undefined {
  if (query.response_type !== 'code') return 'unsupported_response_type';
  if (query.scope === undefined || query.scope.trim() === '') return 'invalid_request';
  const method = query.code_challenge_method;
  if (method !== undefined && method !== 'S256' && method !== 'plain') return 'invalid_request';
  if (query.response_mode !== undefined && !['query', 'fragment'].includes(query.response_mode))
    return 'invalid_request';
  return undefined;
}

/**
 * `GET /{tenant}/oauth2/v2.0/authorize`: consent is automatic; the user is chosen by
 * `login_hint`. A refresh token is only issued when `offline_access` was asked for.
 */
export function registerAuthorize(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/:tenant/oauth2/v2.0/authorize', { config: { sandbox: meta } }, async (request, reply) => {
    const query = request.query as Query;
    const clientId = query.client_id ?? '';
    if (ctx.clients.get(clientId) === undefined)
      return errorPage(reply, 700016, 'Application not found in the directory.');
    if (
      query.redirect_uri === undefined ||
      !ctx.clients.redirectAllowed(clientId, query.redirect_uri, microsoftRedirectRule)
    ) {
      return errorPage(
        reply,
        50011,
        'The redirect URI specified in the request does not match the redirect URIs configured for the application.',
      );
    }
    const invalid = requestError(query);
    if (invalid !== undefined)
      return redirectWith(reply, query, {
        error: invalid,
        error_description: 'AADSTS900144: Invalid request.',
      });
    const behaviour = ctx.authorize('microsoft');
    if (behaviour.denyNext > 0) {
      behaviour.denyNext -= 1;
      const description = 'AADSTS65004: User declined to consent to access the app.';
      return redirectWith(reply, query, { error: 'access_denied', error_description: description });
    }
    const account = signedInAccount(ctx, query.login_hint);
    if (account === undefined)
      return errorPage(reply, 50034, 'The user account does not exist in the sandbox directory.');
    const requested = (query.scope as string).split(' ').filter((s) => s.length > 0);
    const scopes = grantedScopes(requested, ctx.authorize('microsoft'));
    const code = ctx.tokens.issueCode({
      provider: 'microsoft',
      accountId: account.id,
      clientId,
      redirectUri: query.redirect_uri,
      scopes,
      ...(query.code_challenge === undefined
        ? {}
        : {
            codeChallenge: query.code_challenge,
            codeChallengeMethod: (query.code_challenge_method ?? 'plain') as PkceMethod,
          }),
      offline: scopes.includes('offline_access'),
    });
    return redirectWith(reply, query, { code, session_state: randomUUID() });
  });
}
