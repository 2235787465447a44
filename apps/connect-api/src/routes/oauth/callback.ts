import { completeConnect, type CallbackOutcome } from '@crm-sync/connections';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { clearFlowCookie, flowCookie } from '../../plugins/flowCookie';
import { provider, text } from '../schemas';
import { browserErrorPage, browserErrors, INVALID_STATE_PAGE } from './browserPages';

const param = text(4096).optional();

const schema = {
  summary: 'OAuth redirect target: finishes the connection and sends the browser back to the CRM',
  description:
    'A browser page, not a JSON API. Requires the cookie GET /v1/connect/start/{flowId} set, and clears it. ' +
    "302 to the CRM's redirectUrl with status=connected&connectionId=… (and missing=… for resources whose " +
    'scopes were withheld), or status=error&error=access_denied|provider_error|account_already_connected. ' +
    'See docs/connect-flow.md.',
  tags: ['connect'],
  params: z.object({ provider }),
  // Providers add parameters of their own (scope, session_state, ...); only these matter here.
  querystring: z.looseObject({ state: param, code: param, error: param }),
  response: {
    302: z.null().describe("Redirect (Location) to the CRM's redirectUrl with the outcome; no body"),
    ...browserErrors,
  },
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
    url.searchParams.set('error', outcome.error);
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
    config: {
      rateLimit: { max: ctx.settings.callbackRateLimitPerMinute, timeWindow: '1 minute' },
      browserErrorPage,
    },
    handler: async (request, reply) => {
      const { state, code, error } = request.query;
      const provider = request.params.provider;
      const outcome = await completeConnect(ctx.deps, {
        provider,
        state,
        code,
        error,
        browserKeyFor: (flowId) => flowCookie(request, flowId),
      });
      outcomes.inc({ provider, outcome: outcome.kind === 'failed' ? outcome.error : outcome.kind });
      // Whatever happened, this flow is over: its cookie has nothing left to prove.
      if (outcome.flowId) clearFlowCookie(reply, outcome.flowId);
      if (outcome.kind === 'invalid_state') {
        request.log.warn(
          { provider },
          'oauth callback with unknown, expired or used state, or another browser',
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
          { provider, error: outcome.error, reason: outcome.reason },
          'connect did not complete',
        );
      }
      return reply.redirect(crmRedirect(outcome, provider), 302);
    },
  });
}
