import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import { HttpError } from './httpErrors';
import { requireTenant } from './serviceAuth';

/** The route that starts a connect flow (apps/connect-api/src/routes/connect/startConnect.ts). */
export const CONNECT_START = { method: 'POST', url: '/v1/connect/:provider' } as const;

const tenantBody = z.object({ tenantId: z.string() });

/**
 * At most `perMinute` connect flows started per tenant, whichever service asks, counted in Redis (so across
 * replicas) through @fastify/rate-limit's `createRateLimit`. It runs as a preHandler, after authentication and
 * body validation, and only once the caller is known to act for that tenant: a service cannot spend another
 * tenant's budget. Attached with an onRoute hook, so the route file itself stays as it is.
 */
export function limitConnectStarts(app: FastifyInstance, perMinute: number): void {
  const tenantOf = (request: FastifyRequest) => tenantBody.parse(request.body).tenantId;
  const limit = app.createRateLimit({
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `connect-start:${tenantOf(request)}`,
  });
  const limitStart: preHandlerHookHandler = async (request, reply) => {
    requireTenant(request, tenantOf(request));
    const outcome = await limit(request);
    if (outcome.isAllowed || !outcome.isExceeded) return;
    reply.header('retry-after', String(outcome.ttlInSeconds));
    throw new HttpError(429, 'rate_limited', 'too many connect flows started for this tenant, retry later');
  };
  app.addHook('onRoute', (route) => {
    if (route.method !== CONNECT_START.method || route.url !== CONNECT_START.url) return;
    const existing = route.preHandler ?? [];
    route.preHandler = [...(Array.isArray(existing) ? existing : [existing]), limitStart];
  });
}
