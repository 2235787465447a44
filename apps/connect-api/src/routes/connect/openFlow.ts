import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { setFlowCookie } from '../../plugins/flowCookie';
import { HttpError } from '../../plugins/httpErrors';
import { browserErrorPage, browserErrors } from '../oauth/browserPages';

export const FLOW_ID = /^[A-Za-z0-9_-]{43}$/;

const schema = {
  summary:
    'Where the CRM sends the browser: binds the flow to this browser with a cookie, then to the provider',
  description:
    'Opens a connect flow once. Sets an HttpOnly, Secure, SameSite=Lax cookie on /v1/oauth that the callback ' +
    'requires, then redirects to the provider. See docs/connect-flow.md.',
  tags: ['connect'],
  params: z.object({ flowId: z.string().regex(FLOW_ID) }),
  response: {
    302: z.null().describe("Redirect (Location) to the provider's consent page; no body"),
    ...browserErrors,
  },
};

export function registerOpenFlow(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/connect/start/:flowId', {
    schema,
    config: {
      rateLimit: { max: ctx.settings.callbackRateLimitPerMinute, timeWindow: '1 minute' },
      browserErrorPage,
    },
    handler: async (request, reply) => {
      const flow = await ctx.deps.states.openFlow(request.params.flowId);
      if (!flow) throw new HttpError(400, 'invalid_flow', 'unknown, expired or already opened flow');
      setFlowCookie(reply, request.params.flowId, flow.browserKey, flow.ttlSeconds);
      // The consent page must not be cached or leak the start URL onward.
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      return reply.redirect(flow.authorizationUrl, 302);
    },
  });
}
