import { type FastifyInstance, type FastifyReply } from 'fastify';
import { type Account, type PkceMethod, type RouteMeta, type SandboxContext } from '../../core/types';
import { hubspotRedirectRule } from './redirectUri';

const meta: RouteMeta = { provider: 'hubspot', routeId: 'oauth.authorize', auth: false };

type Query = Record<string, string | undefined>;

function redirectWith(reply: FastifyReply, query: Query, params: Record<string, string>) {
  const target = new URL(query.redirect_uri as string);
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
  if (query.state !== undefined) target.searchParams.set('state', query.state);
  return reply.redirect(target.toString(), 302);
}

/**
 * HubSpot lets the user pick an account in its UI; the sandbox takes `login_hint` (an email,
 * a sandbox extension), then the default login, then the only HubSpot account.
 */
function installingAccount(ctx: SandboxContext, loginHint: string | undefined): Account | undefined {
  const email = loginHint ?? ctx.authorize('hubspot').defaultLoginEmail;
  if (email !== undefined) return ctx.accounts.findByEmail('hubspot', email);
  const accounts = ctx.accounts.list('hubspot');
  return accounts.length === 1 ? accounts[0] : undefined;
}

const split = (scopes: string | undefined) => (scopes ?? '').split(/[\s+]+/).filter((s) => s !== '');

/**
 * `GET /oauth/authorize?client_id&redirect_uri&scope&optional_scope&state`: grants `scope` plus
 * `optional_scope`. HubSpot requires no PKCE, but a challenge sent here is enforced at the token call.
 */
export function registerAuthorize(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/oauth/authorize', { config: { sandbox: meta } }, async (request, reply) => {
    const query = request.query as Query;
    const clientId = query.client_id ?? '';
    if (ctx.clients.get(clientId) === undefined)
      return reply.code(400).type('text/plain').send('Unknown client_id.');
    if (
      query.redirect_uri === undefined ||
      !ctx.clients.redirectAllowed(clientId, query.redirect_uri, hubspotRedirectRule)
    ) {
      return reply
        .code(400)
        .type('text/plain')
        .send("Authorization failed: the redirect URL doesn't match the app's registered redirect URL.");
    }
    const scopes = split(query.scope);
    if (scopes.length === 0)
      return redirectWith(reply, query, { error: 'invalid_scope', error_description: 'scope is required' });
    const behaviour = ctx.authorize('hubspot');
    if (behaviour.denyNext > 0) {
      behaviour.denyNext -= 1;
      return redirectWith(reply, query, {
        error: 'access_denied',
        error_description: 'The user denied the install.',
      });
    }
    const account = installingAccount(ctx, query.login_hint);
    if (account === undefined)
      return reply.code(400).type('text/plain').send('No sandbox HubSpot account matches this login.');
    const method = query.code_challenge_method === 'plain' ? 'plain' : 'S256';
    const code = ctx.tokens.issueCode({
      provider: 'hubspot',
      accountId: account.id,
      clientId,
      redirectUri: query.redirect_uri,
      scopes: [...scopes, ...split(query.optional_scope)],
      ...(query.code_challenge === undefined
        ? {}
        : { codeChallenge: query.code_challenge, codeChallengeMethod: method as PkceMethod }),
      offline: true,
    });
    return redirectWith(reply, query, { code });
  });
}
