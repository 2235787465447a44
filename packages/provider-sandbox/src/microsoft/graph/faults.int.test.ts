import { GraphError } from '@microsoft/microsoft-graph-client';
import { type Account } from '../../core/types';
import {
  graphClient,
  type MicrosoftSandbox,
  postToken,
  signIn,
  startMicrosoftSandbox,
} from '../../../test/microsoft';

let ms: MicrosoftSandbox;
let account: Account;
let accessToken: string;
let refreshToken: string;

const me = (maxRetries = 0) =>
  graphClient(ms, () => accessToken, maxRetries)
    .api('/me')
    .get() as Promise<{ id: string }>;
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );
const statuses = () => ms.sandbox.control.counters().map((c) => [c.status, c.count]);

beforeAll(async () => {
  ms = await startMicrosoftSandbox();
  account = ms.sandbox.control.createAccount({ provider: 'microsoft', email: 'katherine@contoso.com' });
  const tokens = await signIn(ms, account.email);
  accessToken = tokens.access_token;
  refreshToken = tokens.refresh_token!;
  ms.sandbox.control.resetCounters();
});
afterAll(() => ms.close());
afterEach(() => {
  ms.sandbox.control.clearFaults();
  ms.sandbox.control.resetCounters();
});

test('429 carries Retry-After, which the RetryHandler honours before succeeding', async () => {
  const action = { kind: 'status', status: 429, retryAfterSeconds: 1 } as const;
  ms.sandbox.control.addFault({ provider: 'microsoft', route: 'graph.me.get', action, next: 1 });
  const started = Date.now();
  expect(await me(1)).toMatchObject({ id: account.id });
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  expect(statuses()).toEqual([
    [429, 1],
    [200, 1],
  ]);
});

test('429s beyond the retry budget surface as TooManyRequests with the Graph error body', async () => {
  const action = { kind: 'status', status: 429, retryAfterSeconds: 0 } as const;
  ms.sandbox.control.addFault({ provider: 'microsoft', route: 'graph.me.get', action, next: 5 });
  const error = (await failure(me(2))) as GraphError;
  expect(error).toBeInstanceOf(GraphError);
  expect(error).toMatchObject({ statusCode: 429, code: 'TooManyRequests', requestId: expect.any(String) });
  expect(error.headers?.get('retry-after')).toBe('0');
  // GraphError.body holds the `error` member of the Graph error body.
  expect(JSON.parse(error.body as string)).toMatchObject({
    innerError: { code: '429', date: expect.any(String) },
  });
  expect(statuses()).toEqual([[429, 3]]);
});

test.each([
  [500, 'generalException'],
  [503, 'serviceNotAvailable'],
] as const)('%i is answered as %s, without Retry-After unless a 503 plan names one', async (status, code) => {
  ms.sandbox.control.addFault({
    provider: 'microsoft',
    route: 'graph.me.get',
    action: { kind: 'status', status },
    next: 1,
  });
  const error = (await failure(me())) as GraphError;
  expect(error).toMatchObject({ statusCode: status, code });
  expect(error.headers?.get('retry-after')).toBeNull();
});

test('a 429 plan without a value still sends Graph Retry-After; a 503 plan may name one; a 500 plan may not', async () => {
  ms.sandbox.control.addFault({
    provider: 'microsoft',
    route: 'graph.me.get',
    action: { kind: 'status', status: 429 },
    next: 1,
  });
  const limited = (await failure(me())) as GraphError;
  expect([limited.statusCode, limited.headers?.get('retry-after')]).toEqual([429, '1']);
  ms.sandbox.control.addFault({
    provider: 'microsoft',
    route: 'graph.me.get',
    action: { kind: 'status', status: 503, retryAfterSeconds: 4 },
    next: 1,
  });
  const unavailable = (await failure(me())) as GraphError;
  expect([unavailable.statusCode, unavailable.headers?.get('retry-after')]).toEqual([503, '4']);
  expect(() =>
    ms.sandbox.control.addFault({
      provider: 'microsoft',
      action: { kind: 'status', status: 500, retryAfterSeconds: 4 },
      next: 1,
    }),
  ).toThrow(/microsoft sends no Retry-After with 500/);
});

test('latency delays the answer; a dropped connection fails the request', async () => {
  ms.sandbox.control.addFault({ provider: 'microsoft', action: { kind: 'latency', ms: 300 }, next: 1 });
  const started = Date.now();
  await me();
  expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  ms.sandbox.control.addFault({ provider: 'microsoft', action: { kind: 'drop' }, next: 1 });
  const dropped = await failure(me());
  // The client wraps network failures in a GraphError without an HTTP status.
  expect(dropped).toMatchObject({ statusCode: -1 });
  expect(String((dropped as GraphError).body)).toBe('TypeError: fetch failed');
  expect(statuses()).toEqual([
    [200, 1],
    [0, 1],
  ]);
});

test('an expired access token is a 401 InvalidAuthenticationToken until refreshed', async () => {
  ms.sandbox.control.expireTokens('microsoft', account.id);
  const error = await failure(me());
  expect(error).toMatchObject({ statusCode: 401, code: 'InvalidAuthenticationToken' });
  const refreshed = await postToken(ms, { grant_type: 'refresh_token', refresh_token: refreshToken });
  expect(refreshed.status).toBe(200);
  accessToken = refreshed.body.access_token as string;
  expect(await me()).toMatchObject({ id: account.id });
});

test('a spent mailbox quota answers 429 ApplicationThrottled with Retry-After', async () => {
  ms.sandbox.control.setQuota({
    provider: 'microsoft',
    accountId: account.id,
    unitsPerSecond: 1,
    status: 429,
  });
  await graphClient(ms, () => accessToken)
    .api('/me')
    .get();
  const error = (await failure(me())) as GraphError;
  ms.sandbox.control.clearQuota('microsoft', account.id);
  expect(error).toMatchObject({ statusCode: 429, code: 'ApplicationThrottled' });
  expect(error.headers?.get('retry-after')).toBe('1');
});

test('revocation kills both the access token and the refresh token', async () => {
  ms.sandbox.control.revokeTokens('microsoft', account.id);
  expect(await failure(me())).toMatchObject({ statusCode: 401, code: 'InvalidAuthenticationToken' });
  const refreshed = await postToken(ms, { grant_type: 'refresh_token', refresh_token: refreshToken });
  expect(refreshed).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_codes: [50173] } });
});
