import {
  DEFAULT_CLIENT,
  createHubspotModule,
  startSandbox,
  type Account,
  type RunningSandbox,
} from '@crm-sync/provider-sandbox';
import { type ProviderAdapter, type SyncPosition } from '@crm-sync/core';
import { classificationOf, endpointsOf, REDIRECT_URI } from '../../../test/sandbox';
import { createHubSpotAdapter } from '../index';
import { connect, createPortal } from '../../../test/hubspot';

// HubSpot's real limits (5 searches per second, 110 requests per 10 s) and the real clock.
let sandbox: RunningSandbox;
let hubspot: ProviderAdapter;

beforeAll(async () => {
  sandbox = await startSandbox({ modules: [createHubspotModule()] });
  hubspot = createHubSpotAdapter({
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: DEFAULT_CLIENT.clientSecret,
    redirectUri: REDIRECT_URI,
    endpoints: endpointsOf(sandbox).hubspot,
  });
});
afterAll(() => sandbox.close());
afterEach(() => sandbox.control.clearFaults());

let portals = 0;
async function connected(): Promise<{ portal: Account; accessToken: string; refreshToken: string }> {
  const portal = createPortal(sandbox, `errors${++portals}@acme.example`, { contacts: 20, deals: 20 });
  return { portal, ...(await connect(sandbox, hubspot, portal.email)) };
}

const FULL: SyncPosition = { mode: 'full', cursor: null, continuation: null };
const INCREMENTAL: SyncPosition = {
  mode: 'incremental',
  cursor: new Date().toISOString(),
  continuation: null,
};

function fetchPage(accessToken: string, position: SyncPosition, resource: 'contacts' | 'deals' = 'contacts') {
  return hubspot.sync![resource]!.fetchPage({
    accessToken,
    position,
    now: new Date(),
    initialWindowDays: 30,
  });
}

test('a revoked grant: the access token is refused (auth_expired), then the refresh is auth_revoked', async () => {
  const { portal, accessToken, refreshToken } = await connected();
  await expect(fetchPage(accessToken, FULL)).resolves.toMatchObject({ upserts: expect.any(Array) });
  sandbox.control.revokeTokens('hubspot', portal.id);
  await expect(classificationOf(fetchPage(accessToken, FULL))).resolves.toEqual({ kind: 'auth_expired' });
  await expect(classificationOf(fetchPage(accessToken, INCREMENTAL))).resolves.toEqual({
    kind: 'auth_expired',
  });
  await expect(classificationOf(hubspot.oauth.refresh(refreshToken))).resolves.toEqual({
    kind: 'auth_revoked',
    reason: 'BAD_REFRESH_TOKEN',
  });
});

test('the search limiter (5 per second per account) is rate_limited for about a second', async () => {
  const { accessToken } = await connected();
  const outcomes = await Promise.allSettled(
    Array.from({ length: 7 }, () => fetchPage(accessToken, INCREMENTAL, 'deals')),
  );
  expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
  const limited = await Promise.all(
    outcomes
      .filter((o): o is PromiseRejectedResult => o.status === 'rejected')
      .map((o) => classificationOf(Promise.reject(o.reason))),
  );
  expect(limited).toEqual([
    { kind: 'rate_limited', retryAfterMs: 1000 },
    { kind: 'rate_limited', retryAfterMs: 1000 },
  ]);
});

test('a 429 on the list API (ten-secondly policy) is rate_limited, Retry-After winning when sent', async () => {
  const { portal, accessToken } = await connected();
  const plan = { provider: 'hubspot', route: 'crm.objects.list', accountId: portal.id, next: 1 } as const;
  sandbox.control.addFault({ ...plan, action: { kind: 'status', status: 429 } });
  await expect(classificationOf(fetchPage(accessToken, FULL))).resolves.toEqual({
    kind: 'rate_limited',
    retryAfterMs: 10_000,
  });
  sandbox.control.addFault({ ...plan, action: { kind: 'status', status: 429, retryAfterSeconds: 3 } });
  await expect(classificationOf(fetchPage(accessToken, FULL))).resolves.toEqual({
    kind: 'rate_limited',
    retryAfterMs: 3000,
  });
});

test.each([500, 503] as const)('a %i is transient, on search and on list', async (status) => {
  const { portal, accessToken } = await connected();
  for (const route of ['crm.objects.search', 'crm.objects.list']) {
    sandbox.control.addFault({
      provider: 'hubspot',
      route,
      accountId: portal.id,
      next: 1,
      action: { kind: 'status', status },
    });
  }
  await expect(classificationOf(fetchPage(accessToken, INCREMENTAL))).resolves.toEqual({
    kind: 'transient',
    reason: `http ${status}`,
  });
  await expect(classificationOf(fetchPage(accessToken, FULL))).resolves.toEqual({
    kind: 'transient',
    reason: `http ${status}`,
  });
});

test('a position that cannot be resumed is cursor_expired, before any request', async () => {
  const { accessToken } = await connected();
  sandbox.control.resetCounters();
  const broken: SyncPosition[] = [
    { mode: 'incremental', cursor: null, continuation: null },
    { mode: 'incremental', cursor: 'yesterday', continuation: null },
    { mode: 'full', cursor: null, continuation: { phase: 'list', after: 7 } },
    { mode: 'incremental', cursor: null, continuation: { phase: 'search', since: 1 } },
  ];
  for (const position of broken) {
    await expect(classificationOf(fetchPage(accessToken, position))).resolves.toEqual({
      kind: 'cursor_expired',
    });
  }
  expect(sandbox.control.counters().filter((c) => c.route.startsWith('crm.'))).toEqual([]);
});
