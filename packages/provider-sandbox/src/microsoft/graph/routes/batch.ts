import { type FastifyInstance } from 'fastify';
import { type IncomingHttpHeaders } from 'node:http';
import { Agent, request } from 'node:https';
import { z } from 'zod';
import { requireAuth } from '../../../core/hooks';
import { type RouteMeta, type SandboxContext } from '../../../core/types';
import { sendGraphError } from '../reply';

const meta: RouteMeta = { provider: 'microsoft', routeId: 'graph.batch', auth: true, quotaUnits: 1 };

/** Graph takes at most 20 requests in one batch (https://learn.microsoft.com/graph/json-batching). */
export const GRAPH_BATCH_MAX = 20;

const batchSchema = z.object({
  requests: z
    .array(
      z.object({
        id: z.string().min(1),
        method: z.enum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']),
        // Relative to the version root: "/me/messages" or "me/messages".
        url: z
          .string()
          .min(1)
          .refine((url) => !/^[a-z]+:/i.test(url), 'a relative URL'),
        headers: z.record(z.string(), z.string()).optional(),
        body: z.unknown().optional(),
        dependsOn: z.array(z.string()).optional(),
      }),
    )
    .min(1)
    .max(GRAPH_BATCH_MAX),
});

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * `POST /v1.0/$batch` (https://learn.microsoft.com/graph/json-batching): each request runs as if sent alone, with the
 * batch's authorization, through the same routes, faults, quotas and counters; its status, headers and body come
 * back under its id. A batch whose shape Graph would refuse gets a 400 and runs nothing. Requests run one after
 * another, so `dependsOn` holds; a request whose dependency failed is answered 424. The responses come back in
 * reverse order: Graph documents no order, and a client must match them by id.
 */
export function registerBatch(app: FastifyInstance, ctx: SandboxContext): void {
  // Kept-alive connections to itself: a TLS handshake per request would cost more than the request.
  const agent = new Agent({ keepAlive: true, ca: ctx.caPem });
  app.addHook('onClose', async () => agent.destroy());
  app.post('/v1.0/$batch', { config: { sandbox: meta } }, async (request, reply) => {
    requireAuth(request);
    const parsed = batchSchema.safeParse(request.body);
    const ids = parsed.success ? parsed.data.requests.map((r) => r.id) : [];
    if (!parsed.success || new Set(ids).size !== ids.length)
      return sendGraphError(reply, ctx.clock, 'ErrorInvalidRequest', {
        message: parsed.success ? 'Batch request ids must be unique.' : 'Invalid batch payload format.',
      });
    const authorization = request.headers.authorization ?? '';
    const failed = new Set<string>();
    const responses: BatchResponse[] = [];
    for (const sub of parsed.data.requests) {
      if ((sub.dependsOn ?? []).some((id) => failed.has(id) || !ids.includes(id))) {
        failed.add(sub.id);
        responses.push({ id: sub.id, status: 424, headers: {} });
        continue;
      }
      const answer = await send(ctx, agent, {
        method: sub.method,
        path: `/v1.0/${sub.url.replace(/^\//, '')}`,
        headers: {
          ...sub.headers,
          authorization,
          ...(sub.body !== undefined && { 'content-type': 'application/json' }),
        },
        body: sub.body === undefined ? undefined : JSON.stringify(sub.body),
      });
      if (answer.status >= 400) failed.add(sub.id);
      const headers: Record<string, string> = {};
      for (const name of ['retry-after', 'content-type', 'location', 'preference-applied']) {
        const value = answer.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const json = (headers['content-type'] ?? '').includes('json') && answer.body !== '';
      responses.push({
        id: sub.id,
        status: answer.status,
        headers,
        ...(answer.body !== '' && { body: json ? (JSON.parse(answer.body) as unknown) : answer.body }),
      });
    }
    return { responses: responses.reverse() };
  });
}

/**
 * One request of a batch, sent to the sandbox's own https listener like any client's, so it passes the same hooks
 * (authentication, faults, quotas, counters). Fastify's in-process `inject` cannot load under Jest here.
 */
function send(
  ctx: SandboxContext,
  agent: Agent,
  sub: { method: string; path: string; headers: Record<string, string>; body: string | undefined },
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const call = request(
      new URL(sub.path, ctx.urls.microsoft),
      { method: sub.method, headers: sub.headers, agent },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 500, headers: response.headers, body }),
        );
        response.on('error', reject);
      },
    );
    call.on('error', reject);
    call.end(sub.body);
  });
}
