import { type FastifyInstance } from 'fastify';
import { type RouteMeta, type SandboxContext } from '../../core/types';
import { apiError } from '../errors';
import { type RefreshTokenInfoWire } from '../types';
import { installFields, lookup } from './tokenInfo';

const getMeta: RouteMeta = { provider: 'hubspot', routeId: 'oauth.refreshTokens.get', auth: false };
const deleteMeta: RouteMeta = { provider: 'hubspot', routeId: 'oauth.refreshTokens.delete', auth: false };

const notFound = () => apiError('Refresh token not found', 'OBJECT_NOT_FOUND');

/**
 * `GET|DELETE /oauth/v1/refresh-tokens/{token}`. Known deviation: HubSpot lets access tokens of a
 * deleted refresh token run until they expire (docs/providers/hubspot.md#revoke-and-uninstall); the
 * core's revoke ends the whole grant, so they stop at once here.
 */
export function registerRefreshTokens(app: FastifyInstance, ctx: SandboxContext): void {
  app.get<{ Params: { token: string } }>(
    '/oauth/v1/refresh-tokens/:token',
    { config: { sandbox: getMeta } },
    async (request, reply) => {
      const info = lookup(ctx, request.params.token, 'refresh');
      if (info === undefined || info.state !== 'valid') return reply.code(404).send(notFound());
      const body: RefreshTokenInfoWire = {
        token: request.params.token,
        ...installFields(info.account),
        scopes: info.scopes,
        client_id: info.clientId,
        token_type: 'refresh',
      };
      return body;
    },
  );
  app.delete<{ Params: { token: string } }>(
    '/oauth/v1/refresh-tokens/:token',
    { config: { sandbox: deleteMeta } },
    async (request, reply) => {
      const info = lookup(ctx, request.params.token, 'refresh');
      if (info === undefined || info.state !== 'valid') return reply.code(404).send(notFound());
      ctx.tokens.revoke('hubspot', request.params.token);
      return reply.code(204).send();
    },
  );
}
