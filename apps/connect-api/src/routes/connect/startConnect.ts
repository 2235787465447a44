import { ConnectRequestError, startConnect } from '@crm-sync/connections';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import { errorResponse, provider, resource, tenantId } from '../schemas';

const schema = {
  summary: 'Start connecting a provider account; returns the URL to send the user to',
  tags: ['connect'],
  security: [{ service: [] }],
  params: z.object({ provider }),
  body: z.strictObject({
    tenantId,
    crmUserId: z.string().min(1).max(200),
    resources: z.array(resource).min(1).max(5),
    redirectUrl: z.url().max(2000),
    loginHint: z.email().optional(),
  }),
  response: {
    201: z.object({ authorizationUrl: z.url(), expiresInSeconds: z.number() }),
    400: errorResponse,
    401: errorResponse,
    403: errorResponse,
    404: errorResponse,
  },
};

export function registerStartConnect(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().post('/v1/connect/:provider', {
    schema,
    onRequest: serviceAuthenticator(ctx.settings.serviceTokens),
    handler: async (request, reply) => {
      const { body } = request;
      requireTenant(request, body.tenantId);
      // An open redirect after OAuth would hand a phishing page a trusted hop; only the CRM's origins qualify.
      if (!ctx.settings.allowedRedirectOrigins.includes(new URL(body.redirectUrl).origin)) {
        throw new HttpError(400, 'redirect_not_allowed', 'redirectUrl is not on an allowed origin');
      }
      if (!ctx.deps.adapters.has(request.params.provider)) {
        throw new HttpError(404, 'provider_not_configured', `${request.params.provider} is not configured`);
      }
      try {
        const started = await startConnect(ctx.deps, { ...body, provider: request.params.provider });
        return reply.status(201).send(started);
      } catch (error) {
        if (error instanceof ConnectRequestError) throw new HttpError(400, 'invalid_request', error.message);
        throw error;
      }
    },
  });
}
