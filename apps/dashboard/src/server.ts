import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { trustProxyOption, type TrustProxy } from '@crm-sync/config';
import type { Logger } from '@crm-sync/observability';
import type { Queue } from 'bullmq';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { basicAuth, type DashboardCredentials, type Role } from './basicAuth';
import { loginThrottle, type LoginThrottle } from './loginThrottle';

export interface DashboardOptions {
  queues: Queue[];
  credentials: DashboardCredentials;
  logger: Logger;
  /** Counts failed logins, so the throttle holds across replicas. */
  redis: Redis;
  /** Key prefix of those counters in Redis. */
  keyPrefix: string;
  loginFailuresPerMinute: number;
  /** As connect-api's: which proxies' X-Forwarded-For names the client the throttle counts. */
  trustProxy: TrustProxy;
}

/** Where the admin's board is; the operator's is at `/`. */
export const ADMIN_PATH = '/admin';

/**
 * Bull Board over every queue, behind authentication, in two boards: at `/` for the operator (and the admin),
 * read-only; at `/admin` for the admin only, with every action. Bull Board's `readOnlyMode` is an option of each
 * queue adapter, fixed when the board is built (README of @bull-board/api, "readOnlyMode"), so two credential
 * levels need two boards. Job data holds identifiers only (never a token), so what operators see is safe to show.
 */
export async function buildDashboard(options: DashboardOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    trustProxy: trustProxyOption(options.trustProxy),
  });
  // No page of the dashboard may be framed (clickjacking an admin into pressing "clean"): the CSP directive
  // for browsers that know it, X-Frame-Options for those that do not
  // (https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy/frame-ancestors).
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', "frame-ancestors 'none'").header('x-frame-options', 'DENY');
    return payload;
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  const throttle = loginThrottle(options.redis, options.keyPrefix, options.loginFailuresPerMinute);
  await mountBoard(app, { ...options, throttle, role: 'operator', basePath: '/' });
  if (options.credentials.admin)
    await mountBoard(app, { ...options, throttle, role: 'admin', basePath: ADMIN_PATH });
  return app;
}

async function mountBoard(
  app: FastifyInstance,
  board: DashboardOptions & { throttle: LoginThrottle; role: Role; basePath: string },
): Promise<void> {
  const readOnly = board.role === 'operator';
  await app.register(async (scope) => {
    scope.addHook('onRequest', basicAuth(board.credentials, board.role, board.throttle));
    if (readOnly) {
      // Bull Board refuses queue actions in readOnlyMode (405); this refuses every other change as well.
      scope.addHook('onRequest', async (request, reply) => {
        if (request.method === 'GET' || request.method === 'HEAD') return;
        await reply.status(403).send({
          error: { code: 'read_only', message: `changes need the admin credential, at ${ADMIN_PATH}/` },
        });
      });
    }
    const adapter = new FastifyAdapter();
    createBullBoard({
      queues: board.queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: readOnly })),
      serverAdapter: adapter,
      options: {
        uiConfig: { boardTitle: readOnly ? 'crm-sync queues (read-only)' : 'crm-sync queues (admin)' },
      },
    });
    adapter.setBasePath(board.basePath);
    await scope.register(adapter.registerPlugin(), { prefix: board.basePath });
  });
}
