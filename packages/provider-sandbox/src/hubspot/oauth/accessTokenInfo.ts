import { type FastifyInstance } from 'fastify';
import { type RouteMeta, type SandboxContext } from '../../core/types';
import { apiError } from '../errors';
import { type AccessTokenInfoWire } from '../types';
import { appIdOf, installFields, lookup } from './tokenInfo';

const meta: RouteMeta = { provider: 'hubspot', routeId: 'oauth.accessTokens.get', auth: false };

/** `GET /oauth/v1/access-tokens/{token}`: who installed, which scopes, seconds left. */
export function registerAccessTokenInfo(app: FastifyInstance, ctx: SandboxContext): void {
  app.get<{ Params: { token: string } }>(
    '/oauth/v1/access-tokens/:token',
    { config: { sandbox: meta } },
    async (request, reply) => {
      const info = lookup(ctx, request.params.token, 'access');
      if (info === undefined || info.state === 'revoked')
        return reply.code(404).send(apiError('Token not found', 'OBJECT_NOT_FOUND'));
      const expiresIn = Math.max(0, Math.floor(((info.expiresAt ?? 0) - ctx.clock.now()) / 1000));
      if (info.state === 'expired')
        return reply
          .code(401)
          .send(apiError('The OAuth token used to make this call expired.', 'EXPIRED_AUTHENTICATION'));
      const body: AccessTokenInfoWire = {
        token: request.params.token,
        ...installFields(info.account),
        scopes: info.scopes,
        app_id: appIdOf(info.clientId),
        expires_in: expiresIn,
        token_type: 'access',
      };
      return body;
    },
  );
}
