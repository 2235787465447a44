import { type FastifyInstance } from 'fastify';
import { type RouteMeta, type SandboxContext } from '../../core/types';
import { apiError } from '../errors';
import { type RefreshTokenInfoWire } from '../types';
import { installFields, lookup } from './tokenInfo';

const getMeta: RouteMeta = { provider: 'hubspot', routeId: 'oauth.refreshTokens.get', auth: false };
const deleteMeta: RouteMeta = { provider: 'hubspot', routeId: 'oauth.refreshTokens.delete', auth: false };

const notFound = () => apiError('Refresh token not found', 'OBJECT_NOT_FOUND');

/**
 * `GET|DELETE /oauth/v1/refresh-tokens/{token}`. A delete ends only that refresh token: access tokens
 * it issued keep working until they expire, and the app stays installed
 * (docs/providers/hubspot.md#revoke-and-uninstall).
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
      if (!ctx.tokens.retireRefreshToken('hubspot', request.params.token))
        return reply.code(404).send(notFound());
      return reply.code(204).send();
    },
  );
}
