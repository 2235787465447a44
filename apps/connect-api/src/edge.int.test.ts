import { loadConfig } from '@crm-sync/config';
import { once } from 'node:events';
import { connect } from 'node:net';
import { CRM_ORIGIN, SERVICE_SECRET, startApp, T1_ONLY_SECRET, type AppHarness } from '../test/appHarness';

// Two servers: one trusting no proxy (the default), one trusting 127.0.0.1 (the test client) as a proxy.
let direct: AppHarness;
let proxied: AppHarness;
const defaults = loadConfig({}).connectApi;
beforeAll(async () => {
  [direct, proxied] = await Promise.all([
    startApp({
      callbackRateLimitPerMinute: 2,
      connectStartRateLimitPerMinute: 2,
      timeouts: { ...defaults.timeouts, requestMs: 1_000, headersMs: 1_000 },
    }),
    startApp({ callbackRateLimitPerMinute: 2, trustProxy: ['127.0.0.1'] }),
  ]);
});
afterAll(() => Promise.all([direct.close(), proxied.close()]));

const callback = (h: AppHarness, method: 'GET' | 'HEAD', forwardedFor?: string) =>
  fetch(`${h.baseUrl}/v1/oauth/google/callback?state=${'Q'.repeat(43)}`, {
    method,
    redirect: 'manual',
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  }).then((response) => response.status);

it('keys the rate limit on the socket address when no proxy is trusted, whatever X-Forwarded-For says', async () => {
  const statuses = [];
  for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
    statuses.push(await callback(direct, 'GET', address));
  }
  expect(statuses).toEqual([400, 400, 429]);
});

it('keys the rate limit on the forwarded client address behind a trusted proxy', async () => {
  const statuses = [];
  for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.1', '198.51.100.1']) {
    statuses.push(await callback(proxied, 'GET', address));
  }
  expect(statuses).toEqual([400, 400, 400, 429]);
});

it('counts HEAD and GET against one budget', async () => {
  const client = '198.51.100.9';
  const statuses = [];
  for (const method of ['GET', 'HEAD', 'HEAD', 'GET'] as const)
    statuses.push(await callback(proxied, method, client));
  expect(statuses).toEqual([400, 400, 429, 429]);
});

it('limits connect flows started per tenant, counting only callers allowed to act for it', async () => {
  const start = (tenantId: string, secret?: string) =>
    direct
      .api('/v1/connect/google', {
        method: 'POST',
        secret,
        json: { tenantId, crmUserId: 'u1', resources: ['mail'], redirectUrl: `${CRM_ORIGIN}/done` },
      })
      .then(async (response) => ({
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
      }));

  expect((await start('t1')).status).toBe(201);
  expect((await start('t1')).status).toBe(201);
  const refused = await start('t1');
  expect(refused.status).toBe(429);
  expect(Number(refused.retryAfter)).toBeGreaterThan(0);
  // Another tenant has its own budget, and a service not allowed to act for it cannot spend that budget.
  expect((await start('t2')).status).toBe(201);
  expect((await start('t2', T1_ONLY_SECRET)).status).toBe(403);
  expect((await start('t2')).status).toBe(201);
  expect((await start('t2')).status).toBe(429);
});

it('cuts off a request whose body stalls, with 408, once the request timeout passes', async () => {
  const socket = connect(Number(new URL(direct.baseUrl).port), '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.write(
    // Authenticated, so the server waits for the body instead of answering 401 at once.
    `POST /v1/connect/google HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${SERVICE_SECRET}\r\n` +
      'Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{"tenantId":',
  );
  // No more bytes: the server, not this test, ends the connection.
  await once(socket, 'close');
  expect(received).toMatch(/^HTTP\/1\.1 408 /);
  expect(received).toContain('application/problem+json');
});

it('answers headers too large for the parser with 431 in the problem envelope', async () => {
  const socket = connect(Number(new URL(direct.baseUrl).port), '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
  await once(socket, 'close');
  expect(received).toMatch(/^HTTP\/1\.1 431 /);
  const body = JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4)) as {
    status: number;
    code: string;
  };
  expect(body).toMatchObject({ status: 431, code: 'headers_too_large' });
});
