import { type FastifyInstance } from 'fastify';
import { requireAuth } from '../../core/hooks';
import { type Account, type SandboxContext } from '../../core/types';
import { one } from '../params';

const names = (account: Account) => {
  const local = account.email.split('@')[0] ?? account.email;
  const [given = local, family = ''] = local
    .split(/[._-]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1));
  return { given, family, full: family ? `${given} ${family}` : given };
};

/** userinfo (v2 and OIDC v3 shapes) and tokeninfo. */
export function registerIdentity(app: FastifyInstance, ctx: SandboxContext): void {
  const authed = (routeId: string) => ({
    config: { sandbox: { provider: 'google' as const, routeId, auth: true } },
  });

  app.get('/oauth2/v2/userinfo', authed('oauth.userinfo'), async (request) => {
    const { account } = requireAuth(request);
    const n = names(account);
    return {
      id: account.id,
      email: account.email,
      verified_email: true,
      name: n.full,
      given_name: n.given,
      family_name: n.family,
      picture: `https://lh3.googleusercontent.com/a/sandbox-${account.id}`,
      locale: 'en',
    };
  });

  app.get('/oauth2/v3/userinfo', authed('oauth.userinfo'), async (request) => {
    const { account } = requireAuth(request);
    const n = names(account);
    return {
      sub: account.id,
      email: account.email,
      email_verified: true,
      name: n.full,
      given_name: n.given,
      family_name: n.family,
    };
  });

  // google-auth-library POSTs with the token as bearer; browsers/tools use ?access_token=.
  app.route({
    method: ['GET', 'POST'],
    url: '/tokeninfo',
    config: { sandbox: { provider: 'google', routeId: 'oauth.tokeninfo', auth: false } },
    handler: async (request, reply) => {
      const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      const token = one(request, 'access_token') ?? bearer;
      const info = token === undefined ? undefined : ctx.tokens.inspect('google', token);
      if (!info || info.kind !== 'access' || info.state !== 'valid' || info.expiresAt === undefined) {
        return reply.code(400).send({ error: 'invalid_token', error_description: 'Invalid Value' });
      }
      const expiresIn = Math.max(0, Math.floor((info.expiresAt - ctx.clock.now()) / 1000));
      return {
        azp: info.clientId,
        aud: info.clientId,
        sub: info.account.id,
        scope: info.scopes.join(' '),
        exp: String(Math.floor(info.expiresAt / 1000)),
        expires_in: expiresIn,
        email: info.account.email,
        email_verified: 'true',
        access_type: 'offline',
      };
    },
  });
}
