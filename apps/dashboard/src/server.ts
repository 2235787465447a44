import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '@crm-sync/observability';
import { basicAuth } from './basicAuth';

export interface DashboardOptions {
  queues: Queue[];
  credentials: { user: string; password: string };
  logger: Logger;
}

/**
 * Bull Board over every queue, behind operator authentication. Job data holds identifiers only (never a token),
 * so what operators see here is safe to show; retrying or removing jobs is allowed, as that is what it is for.
 */
export async function buildDashboard(options: DashboardOptions): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: options.logger as FastifyBaseLogger });
  app.get('/healthz', async () => ({ status: 'ok' }));
  await app.register(async (board) => {
    board.addHook('onRequest', basicAuth(options.credentials));
    const adapter = new FastifyAdapter();
    createBullBoard({
      queues: options.queues.map((queue) => new BullMQAdapter(queue)),
      serverAdapter: adapter,
      options: { uiConfig: { boardTitle: 'crm-sync queues' } },
    });
    adapter.setBasePath('/');
    await board.register(adapter.registerPlugin(), { prefix: '/' });
  });
  return app;
}
