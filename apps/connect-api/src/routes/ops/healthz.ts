import { runHealthChecks } from '@crm-sync/observability';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context';

export function registerHealthz(app: FastifyInstance, ctx: AppContext): void {
  app.get('/healthz', { schema: { hide: true }, logLevel: 'warn' }, async (_request, reply) => {
    const report = await runHealthChecks(ctx.health, { timeoutMs: 2_000 });
    return reply.status(report.status === 'ok' ? 200 : 503).send(report);
  });
}
