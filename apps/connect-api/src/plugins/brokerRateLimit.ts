import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './httpErrors';

/**
 * A preHandler allowing `max` requests a minute per authenticated service and connection, counted in Redis across
 * replicas; over it, `429 rate_limited` with Retry-After. It runs after authentication and validation, so one
 * service cannot spend another's budget for a connection, and an unauthenticated caller none at all. The proxy
 * calls it from its handler instead, alongside its own Redis reads (proxyCall's `admit`).
 */
export function limitPerServiceAndConnection(
  app: FastifyInstance,
  options: { name: string; max: number; connectionId: (request: FastifyRequest) => string; detail: string },
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const limit = app.createRateLimit({
    max: options.max,
    timeWindow: 60_000,
    keyGenerator: (request) =>
      `${options.name}:${request.service?.name ?? ''}:${options.connectionId(request)}`,
  });
  return async (request, reply) => {
    const outcome = await limit(request);
    if (outcome.isAllowed || !outcome.isExceeded) return;
    reply.header('retry-after', String(outcome.ttlInSeconds));
    throw new HttpError(429, 'rate_limited', options.detail);
  };
}
