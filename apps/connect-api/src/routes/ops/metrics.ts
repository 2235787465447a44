import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context';

export function registerMetrics(app: FastifyInstance, ctx: AppContext): void {
  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn' }, async (_request, reply) =>
    reply.type(ctx.metrics.contentType).send(await ctx.metrics.render()),
  );
}
