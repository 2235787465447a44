import { completeConnect, type CallbackOutcome } from '@crm-sync/connections';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { provider } from '../schemas';
import { INVALID_STATE_PAGE } from './callbackPage';

const param = z.string().max(4096).optional();

const schema = {
  summary: 'OAuth redirect target: finishes the connection and sends the browser back to the CRM',
  tags: ['connect'],
  params: z.object({ provider }),
  // Providers add parameters of their own (scope, session_state, ...); only these matter here.
  querystring: z.looseObject({ state: param, code: param, error: param }),
};

/** Where the CRM learns the result: its own redirect URL with a status and, on success, the connection id. */
function crmRedirect(outcome: Exclude<CallbackOutcome, { kind: 'invalid_state' }>, provider: string): string {
  const url = new URL(outcome.redirectUrl);
  url.searchParams.set('provider', provider);
  if (outcome.kind === 'connected') {
    url.searchParams.set('status', 'connected');
    url.searchParams.set('connectionId', outcome.connectionId);
    if (outcome.missingResources.length > 0)
      url.searchParams.set('missing', outcome.missingResources.join(','));
  } else {
    url.searchParams.set('status', 'error');
    url.searchParams.set('error', outcome.kind === 'denied' ? 'access_denied' : 'provider_error');
  }
  return url.toString();
}

export function registerOAuthCallback(app: FastifyInstance, ctx: AppContext): void {
  const outcomes = ctx.metrics.counter({
    name: 'crm_sync_connect_callbacks_total',
    help: 'OAuth callbacks by provider and outcome',
    labelNames: ['provider', 'outcome'],
  });
  app.withTypeProvider<ZodTypeProvider>().get('/v1/oauth/:provider/callback', {
    schema,
    config: { rateLimit: { max: ctx.settings.callbackRateLimitPerMinute, timeWindow: '1 minute' } },
    handler: async (request, reply) => {
      const { state, code, error } = request.query;
      const outcome = await completeConnect(ctx.deps, {
        provider: request.params.provider,
        state,
        code,
        error,
      });
      outcomes.inc({ provider: request.params.provider, outcome: outcome.kind });
      if (outcome.kind === 'invalid_state') {
        request.log.warn(
          { provider: request.params.provider },
          'oauth callback with unknown, expired or used state',
        );
        return reply.status(400).type('text/html; charset=utf-8').send(INVALID_STATE_PAGE);
      }
      if (outcome.kind === 'connected') {
        request.log.info(
          { connectionId: outcome.connectionId, reconnected: outcome.reconnected },
          'connected',
        );
      } else {
        request.log.warn(
          { provider: request.params.provider, outcome: outcome.kind },
          'connect did not complete',
        );
      }
      return reply.redirect(crmRedirect(outcome, request.params.provider), 302);
    },
  });
}
