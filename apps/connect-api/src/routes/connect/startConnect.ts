import { ConnectRequestError, startConnect } from '@crm-sync/connections';
import { WRITE_RESOURCES } from '@crm-sync/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { HttpError } from '../../plugins/httpErrors';
import { requireTenant, serviceAuthenticator } from '../../plugins/serviceAuth';
import {
  bodyErrors,
  crmUserId,
  problemResponse,
  provider,
  resources,
  serviceErrors,
  tenantId,
  text,
} from '../schemas';

const schema = {
  summary: 'Start connecting a provider account; returns the URL to send the user to',
  description:
    "authorizationUrl points at connect-api's GET /v1/connect/start/{flowId}, which binds the flow to the " +
    'browser that opens it (once) and sends it to the provider. Send the browser there straight away; do not ' +
    'show or forward it. See docs/connect-flow.md.',
  tags: ['connect'],
  security: [{ service: [] }],
  params: z.object({ provider }),
  body: z.strictObject({
    tenantId,
    crmUserId,
    resources,
    redirectUrl: text(2000).pipe(z.url()),
    loginHint: z.email().max(320).optional(),
    /** Write-back (docs/write-back.md): also ask for the scopes to write these; again later adds them. */
    writes: z
      .array(z.enum(WRITE_RESOURCES))
      .max(WRITE_RESOURCES.length)
      .refine((list) => new Set(list).size === list.length, 'must not repeat a resource')
      .optional(),
  }),
  response: {
    201: z.object({ authorizationUrl: z.url(), expiresInSeconds: z.number() }),
    ...serviceErrors,
    404: problemResponse('The provider is not configured (code `provider_not_configured`)'),
    ...bodyErrors,
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
        const { flowId, expiresInSeconds } = await startConnect(ctx.deps, {
          ...body,
          provider: request.params.provider,
        });
        const authorizationUrl = `${ctx.settings.publicBaseUrl}/v1/connect/start/${flowId}`;
        return reply.status(201).send({ authorizationUrl, expiresInSeconds });
      } catch (error) {
        if (error instanceof ConnectRequestError) throw new HttpError(400, 'invalid_request', error.message);
        throw error;
      }
    },
  });
}
