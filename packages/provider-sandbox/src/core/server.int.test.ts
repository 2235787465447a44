import { request } from 'undici';
import { requireAuth } from './hooks';
import { createSandbox } from './server';
import { DEFAULT_CONTROL_SECRET, type ProviderModule, type RunningSandbox } from './types';

// A minimal provider to exercise the core pipeline (auth, faults, quota, counters, control API).
const toy: ProviderModule = {
  id: 'hubspot',
  listener: 'http',
  generators: [],
  errors: {
    unauthorized: (reason) => ({ status: 401, body: { reason } }),
    retryAfter: { 429: 'always', 500: 'never', 503: 'sometimes' },
    fault: (status, retryAfter) => ({
      status,
      body: { fault: status },
      ...(retryAfter === undefined ? {} : { headers: { 'retry-after': String(retryAfter) } }),
    }),
    quotaExceeded: (status) => ({ status, body: { quota: true } }),
  },
  register(app) {
    app.get(
      '/toy',
      { config: { sandbox: { provider: 'hubspot', routeId: 'toy.get', auth: true, quotaUnits: 2 } } },
      async (req) => ({
        account: requireAuth(req).account.id,
      }),
    );
  },
};

let sandbox: RunningSandbox;
let token: string;

beforeAll(async () => {
  sandbox = await createSandbox([toy]);
  const account = sandbox.control.createAccount({ provider: 'hubspot', id: '42', email: 'a@example.com' });
  const ctx = sandbox.context;
  const code = ctx.tokens.issueCode({
    provider: 'hubspot',
    accountId: account.id,
    clientId: 'c',
    redirectUri: 'http://127.0.0.1/cb',
    scopes: ['crm'],
    offline: true,
  });
  const result = ctx.tokens.exchangeCode({
    provider: 'hubspot',
    code,
    clientId: 'c',
    redirectUri: 'http://127.0.0.1/cb',
  });
  if (!result.ok) throw new Error(result.reason);
  token = result.grant.accessToken;
});
afterAll(() => sandbox.close());
afterEach(() => {
  sandbox.control.clearFaults();
  sandbox.control.resetCounters();
});

const get = (auth = `Bearer ${token}`) =>
  request(`${sandbox.urls.hubspot}/toy`, { headers: { authorization: auth } }).then(async (r) => ({
    status: r.statusCode,
    headers: r.headers,
    body: (await r.body.json()) as Record<string, unknown>,
  }));

test('authenticates and counts by token state', async () => {
  expect((await get()).body).toEqual({ account: '42' });
  expect((await get('Bearer nope')).body).toEqual({ reason: 'invalid' });
  expect(sandbox.control.counters()).toEqual(
    expect.arrayContaining([
      { provider: 'hubspot', route: 'toy.get', accountId: '42', status: 200, tokenState: 'valid', count: 1 },
      {
        provider: 'hubspot',
        route: 'toy.get',
        accountId: null,
        status: 401,
        tokenState: 'invalid',
        count: 1,
      },
    ]),
  );
});

test('next-N status fault with Retry-After, then normal again', async () => {
  sandbox.control.addFault({
    route: 'toy.*',
    action: { kind: 'status', status: 429, retryAfterSeconds: 3 },
    next: 1,
  });
  const faulted = await get();
  expect([faulted.status, faulted.headers['retry-after']]).toEqual([429, '3']);
  expect((await get()).status).toBe(200);
});

test('a Retry-After on a status the provider never sends it with is refused, in process and over HTTP', async () => {
  const plan = { action: { kind: 'status', status: 500, retryAfterSeconds: 3 }, next: 1 } as const;
  expect(() => sandbox.control.addFault(plan)).toThrow(/hubspot sends no Retry-After with 500/);
  const refused = await request(`${sandbox.urls.control}/faults`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEFAULT_CONTROL_SECRET}`, 'content-type': 'application/json' },
    body: JSON.stringify(plan),
  });
  expect(refused.statusCode).toBe(400);
  await refused.body.dump();
  expect((await get()).status).toBe(200);
});

test('dropped connection destroys the socket and is counted as status 0', async () => {
  sandbox.control.addFault({ action: { kind: 'drop' }, next: 1 });
  await expect(get()).rejects.toThrow();
  expect(sandbox.control.counters()[0]).toMatchObject({ status: 0, tokenState: 'valid' });
});

test('quota per account per second', async () => {
  sandbox.control.setQuota({ provider: 'hubspot', accountId: '42', unitsPerSecond: 4, status: 429 });
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await get()).status);
  sandbox.control.clearQuota('hubspot', '42');
  expect(statuses).toEqual([200, 200, 429]);
});

test('control API requires the secret and validates bodies', async () => {
  const post = (auth: string, body: unknown) =>
    request(`${sandbox.urls.control}/faults`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  expect((await post('Bearer wrong', {})).statusCode).toBe(401);
  expect((await post(`Bearer ${DEFAULT_CONTROL_SECRET}`, { action: { kind: 'drop' } })).statusCode).toBe(400);
  const ok = await post(`Bearer ${DEFAULT_CONTROL_SECRET}`, {
    action: { kind: 'latency', ms: 150 },
    next: 1,
  });
  expect(ok.statusCode).toBe(204);
  const started = Date.now();
  expect((await get()).status).toBe(200);
  expect(Date.now() - started).toBeGreaterThanOrEqual(140);
});
