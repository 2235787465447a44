import { type FastifyInstance } from 'fastify';
import { Agent, createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
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
 * How many requests of a batch run at once: Graph hands Outlook at most four requests of a batch at a time
 * (docs/providers/microsoft.md#json-batching), which is also Outlook's concurrency limit per mailbox.
 */
const BATCH_CONCURRENCY = 4;

type BatchRequest = z.infer<typeof batchSchema>['requests'][number];

/**
 * `POST /v1.0/$batch` (https://learn.microsoft.com/graph/json-batching): each request runs as if sent alone, with the
 * batch's authorization, through the same routes, faults, quotas and counters; its status, headers and body come
 * back under its id. A batch whose shape Graph would refuse gets a 400 and runs nothing. Up to four requests run at
 * once, in the order given; a request waits for the ones it `dependsOn`, and one whose dependency failed is answered
 * 424. The responses come back in reverse order: Graph documents no order, and a client must match them by id.
 */
export function registerBatch(app: FastifyInstance, ctx: SandboxContext): void {
  const inner = innerListener(app);
  app.addHook('onClose', () => inner.close());
  app.post('/v1.0/$batch', { config: { sandbox: meta } }, async (request, reply) => {
    requireAuth(request);
    const parsed = batchSchema.safeParse(request.body);
    const ids = parsed.success ? parsed.data.requests.map((r) => r.id) : [];
    if (!parsed.success || new Set(ids).size !== ids.length)
      return sendGraphError(reply, ctx.clock, 'ErrorInvalidRequest', {
        message: parsed.success ? 'Batch request ids must be unique.' : 'Invalid batch payload format.',
      });
    const authorization = request.headers.authorization ?? '';
    const requests = parsed.data.requests;
    // Whether each started request succeeded, by id, for the requests that depend on it.
    const outcomes = new Map<string, Promise<boolean>>();
    const responses: BatchResponse[] = new Array<BatchResponse>(requests.length);
    const run = async (sub: BatchRequest, index: number): Promise<boolean> => {
      const dependencies = sub.dependsOn ?? [];
      const met =
        dependencies.every((id) => ids.includes(id)) &&
        (await Promise.all(dependencies.map((id) => outcomes.get(id) ?? true))).every(Boolean);
      responses[index] = met
        ? await answer(await inner.origin(), inner.agent, sub, authorization)
        : { id: sub.id, status: 424, headers: {} };
      return (responses[index] as BatchResponse).status < 400;
    };
    let next = 0;
    const lane = async () => {
      for (let index = next++; index < requests.length; index = next++) {
        const sub = requests[index] as BatchRequest;
        const outcome = run(sub, index);
        outcomes.set(sub.id, outcome);
        await outcome;
      }
    };
    await Promise.all(Array.from({ length: BATCH_CONCURRENCY }, lane));
    return { responses: responses.reverse() };
  });
}

/** One request of a batch, answered as Graph nests it: status, the headers a client needs, and a parsed JSON body. */
async function answer(
  origin: string,
  agent: Agent,
  sub: BatchRequest,
  authorization: string,
): Promise<BatchResponse> {
  const sent = await send(origin, agent, {
    method: sub.method,
    path: `/v1.0/${sub.url.replace(/^\//, '')}`,
    headers: {
      ...sub.headers,
      authorization,
      ...(sub.body !== undefined && { 'content-type': 'application/json' }),
    },
    body: sub.body === undefined ? undefined : JSON.stringify(sub.body),
  });
  const headers: Record<string, string> = {};
  for (const name of ['retry-after', 'content-type', 'location', 'preference-applied']) {
    const value = sent.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const json = (headers['content-type'] ?? '').includes('json') && sent.body !== '';
  return {
    id: sub.id,
    status: sent.status,
    headers,
    ...(sent.body !== '' && { body: json ? (JSON.parse(sent.body) as unknown) : sent.body }),
  };
}

/**
 * Where a batch's requests are sent: the same routes (`app.routing`, Fastify's request handler) behind a plain-HTTP
 * listener on loopback, private to the batch route, so each request passes the same hooks (authentication, faults,
 * quotas, counters) as a client's. Graph runs a batch's requests inside its own service; encrypting each of them
 * again here made batches the sandbox's largest cost (bench/README.md, Graph mail profile).
 * Fastify's in-process `inject` cannot load under Jest here. Listens on first use.
 */
function innerListener(app: FastifyInstance) {
  const agent = new Agent({ keepAlive: true });
  let server: Server | undefined;
  let listening: Promise<string> | undefined;
  return {
    agent,
    origin(): Promise<string> {
      listening ??= new Promise((resolve, reject) => {
        server = createServer((req, res) => app.routing(req, res));
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`),
        );
      });
      return listening;
    },
    async close(): Promise<void> {
      agent.destroy();
      server?.closeAllConnections();
      if (server?.listening) await new Promise((resolve) => server!.close(resolve));
    },
  };
}

/** One request of a batch, sent to the inner listener like any client's. */
function send(
  origin: string,
  agent: Agent,
  sub: { method: string; path: string; headers: Record<string, string>; body: string | undefined },
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const call = request(
      new URL(sub.path, origin),
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
