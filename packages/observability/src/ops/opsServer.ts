import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { runHealthChecks, type HealthCheck } from '../health/health';
import type { Metrics } from '../metrics/metrics';

/** `/healthz` and `/metrics` on a small port of their own, for processes with no other HTTP surface. */
export async function startOpsServer(options: {
  host: string;
  port: number;
  health: Record<string, HealthCheck>;
  metrics: Metrics;
}): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const reply = (status: number, type: string, body: string) =>
      response.writeHead(status, { 'content-type': type }).end(body);
    if (request.method !== 'GET') return reply(405, 'text/plain', 'method not allowed');
    if (path === '/healthz') {
      void runHealthChecks(options.health, { timeoutMs: 2_000 }).then(
        (report) => reply(report.status === 'ok' ? 200 : 503, 'application/json', JSON.stringify(report)),
        () => reply(500, 'text/plain', 'health check error'),
      );
      return;
    }
    if (path === '/metrics') {
      void options.metrics.render().then(
        (body) => reply(200, options.metrics.contentType, body),
        () => reply(500, 'text/plain', 'metrics error'),
      );
      return;
    }
    reply(404, 'text/plain', 'not found');
  });
  server.listen(options.port, options.host);
  await once(server, 'listening');
  return server;
}
