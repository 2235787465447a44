import { issueAccessToken } from '@crm-sync/connections';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { brokerCaller, refusalError } from '../../plugins/brokerCaller';
import { limitPerServiceAndConnection } from '../../plugins/brokerRateLimit';
import { serviceAuthenticator } from '../../plugins/serviceAuth';
import { bodyErrors, problemResponse, purpose, serviceErrors } from '../schemas';

const params = z.object({ id: z.uuid() });

const schema = {
  summary:
    "The connection's current access token, for a purpose its service policy allows (never the refresh token)",
  tags: ['broker'],
  security: [{ service: [] }],
  params,
  body: z.strictObject({ purpose }),
  response: {
    200: z.object({
      accessToken: z.string(),
      tokenType: z.literal('Bearer'),
      expiresAt: z.string().nullable(),
      scopes: z.array(z.string()),
    }),
    ...serviceErrors,
    403: problemResponse(
      'Outside the service policy (code `no_broker_policy`, `forbidden_provider`, `forbidden_purpose`, `proxy_only`, `forbidden_scopes`)',
    ),
    404: problemResponse('No such connection for the service (code `not_found`)'),
    409: problemResponse(
      'The connection is not active (code `connection_inactive`, `provider_not_configured`)',
    ),
    429: problemResponse(
      'Too many tokens for this connection; retry after Retry-After (code `rate_limited`)',
    ),
    502: problemResponse('The provider could not refresh the token (code `provider_unavailable`)'),
    ...bodyErrors,
  },
};

export function registerIssueAccessToken(app: FastifyInstance, ctx: AppContext): void {
  const limit = limitPerServiceAndConnection(app, {
    name: 'access-token',
    max: ctx.settings.accessTokenRateLimitPerMinute,
    connectionId: (request) => params.parse(request.params).id,
    detail: 'too many access tokens for this connection, retry later',
  });
  app.withTypeProvider<ZodTypeProvider>().post('/v1/connections/:id/access-token', {
    schema,
    onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
    preHandler: limit,
    handler: async (request, reply) => {
      const issued = await issueAccessToken({ ...ctx.deps, tokens: ctx.tokens }, brokerCaller(request, ctx), {
        connectionId: request.params.id,
        purpose: request.body.purpose,
      });
      // RFC 9111 §5.2.2.5: no cache on the way may keep the response (it holds a bearer token).
      reply.header('cache-control', 'no-store');
      if (issued.kind === 'refused') throw refusalError(issued);
      return {
        accessToken: issued.accessToken,
        tokenType: 'Bearer' as const,
        expiresAt: issued.expiresAt?.toISOString() ?? null,
        scopes: issued.scopes,
      };
    },
  });
}
