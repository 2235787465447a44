import { type Account, type RunningSandbox } from '../core/types';
import { createPortal, install, refresh, rejection, sdk, startHubspotSandbox } from '../../test/hubspot';

let sandbox: RunningSandbox;
let portal: Account;
let accessToken: string;
let refreshToken: string;

const statuses = (route: string) =>
  sandbox.control
    .counters()
    .filter((c) => c.route === route)
    .map((c) => [c.status, c.count]);

beforeAll(async () => {
  sandbox = await startHubspotSandbox({}, { limits: { tenSecondly: 3, searchPerSecond: 2 } });
  portal = createPortal(sandbox, 'limits@acme.example', { contacts: 5 });
  ({ accessToken, refreshToken } = await install(sandbox, portal.email));
});
afterAll(() => sandbox.close());
afterEach(() => {
  sandbox.control.clearFaults();
  sandbox.control.resetCounters();
});

test('lists report X-HubSpot-RateLimit-* and answer TEN_SECONDLY_ROLLING once the window is spent', async () => {
  const api = sdk(sandbox, accessToken).crm.contacts.basicApi;
  const remaining: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { headers } = await api.getPageWithHttpInfo(2);
    expect(headers).toMatchObject({
      'x-hubspot-ratelimit-max': '3',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
    });
    remaining.push(headers['x-hubspot-ratelimit-remaining'] ?? '');
  }
  expect(remaining).toEqual(['2', '1', '0']);
  const limited = await rejection(api.getPage(2));
  expect(limited).toMatchObject({
    code: 429,
    body: {
      status: 'error',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
      message: 'You have reached your ten_secondly_rolling limit.',
    },
  });
  expect(limited.headers['x-hubspot-ratelimit-remaining']).toBe('0');
  expect(limited.headers['retry-after']).toBeUndefined();
});

test("an injected 429 looks like the limiter's (headers, no Retry-After); 5xx plans take no Retry-After", async () => {
  sandbox.control.addFault({
    provider: 'hubspot',
    route: 'oauth.accessTokens.get',
    action: { kind: 'status', status: 429 },
    next: 1,
  });
  const limited = await rejection(sdk(sandbox).oauth.accessTokensApi.get(accessToken));
  expect(limited).toMatchObject({ code: 429, body: { policyName: 'TEN_SECONDLY_ROLLING' } });
  expect(limited.headers).toMatchObject({
    'x-hubspot-ratelimit-max': '3',
    'x-hubspot-ratelimit-remaining': '0',
    'x-hubspot-ratelimit-interval-milliseconds': '10000',
  });
  expect(limited.headers['retry-after']).toBeUndefined();
  expect(() =>
    sandbox.control.addFault({
      provider: 'hubspot',
      action: { kind: 'status', status: 503, retryAfterSeconds: 2 },
      next: 1,
    }),
  ).toThrow(/hubspot sends no Retry-After with 503/);
});

test('the search limiter answers with the secondly message, which the SDK retries after 1 s', async () => {
  const search = sdk(sandbox, accessToken, 2).crm.contacts.searchApi;
  await search.doSearch({ limit: 1 });
  await search.doSearch({ limit: 1 });
  const started = Date.now();
  expect((await search.doSearch({ limit: 1 })).total).toBe(5);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  expect(statuses('crm.objects.search')).toEqual([
    [200, 3],
    [429, 1],
  ]);
});

test('injected 500s are retried by the SDK when retries are on; 503s surface without them', async () => {
  const action500 = { kind: 'status', status: 500 } as const;
  sandbox.control.addFault({
    provider: 'hubspot',
    route: 'oauth.accessTokens.get',
    action: action500,
    next: 1,
  });
  const withRetries = sdk(sandbox, undefined, 2).oauth.accessTokensApi;
  expect(await withRetries.get(accessToken)).toMatchObject({ hubId: Number(portal.id) });
  expect(statuses('oauth.accessTokens.get')).toEqual([
    [500, 1],
    [200, 1],
  ]);
  sandbox.control.addFault({
    provider: 'hubspot',
    route: 'oauth.accessTokens.get',
    action: { kind: 'status', status: 503 },
    next: 1,
  });
  expect(await rejection(sdk(sandbox).oauth.accessTokensApi.get(accessToken))).toMatchObject({ code: 503 });
});

test('latency slows a call down; a dropped connection rejects it', async () => {
  const info = sdk(sandbox).oauth.accessTokensApi;
  sandbox.control.addFault({ provider: 'hubspot', action: { kind: 'latency', ms: 250 }, next: 1 });
  const started = Date.now();
  await info.get(accessToken);
  expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  sandbox.control.addFault({ provider: 'hubspot', action: { kind: 'drop' }, next: 1 });
  await expect(info.get(accessToken)).rejects.toThrow();
  expect(statuses('oauth.accessTokens.get')).toEqual([
    [200, 1],
    [0, 1],
  ]);
});

test('an expired access token is a 401 EXPIRED_AUTHENTICATION until refreshed', async () => {
  sandbox.control.expireTokens('hubspot', portal.id);
  const expired = await rejection(sdk(sandbox, accessToken).crm.deals.searchApi.doSearch({ limit: 1 }));
  expect(expired).toMatchObject({ code: 401, body: { status: 'error', category: 'EXPIRED_AUTHENTICATION' } });
  const fresh = await refresh(sandbox, refreshToken);
  // Waits out the search limiter's second so only the token decides the outcome.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(await sdk(sandbox, fresh.accessToken).crm.deals.searchApi.doSearch({ limit: 1 })).toMatchObject({
    total: 0,
  });
});
