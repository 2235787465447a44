import { disconnectConnection } from '@crm-sync/connections';
import { connectSandboxAccount } from '@crm-sync/connections/testing';
import type { ServicePolicy } from '@crm-sync/config';
import type { Provider } from '@crm-sync/core';
import { GOOGLE_DESCRIPTOR, HUBSPOT_DESCRIPTOR, MICROSOFT_DESCRIPTOR } from '@crm-sync/providers';
import { ConnectionThrottle } from '@crm-sync/sync-engine';
import { waitFor } from '@crm-sync/testing';
import { startApp, T1_ONLY_SECRET, type AppHarness } from '../test/appHarness';

const everyScope = [GOOGLE_DESCRIPTOR, MICROSOFT_DESCRIPTOR, HUBSPOT_DESCRIPTOR].flatMap((d) => [
  ...d.identityScopes,
  ...Object.values(d.scopesByResource).flat(),
]);
const callouts: ServicePolicy = {
  providers: ['google', 'microsoft', 'hubspot'],
  purposes: ['crm-callout'],
  scopes: everyScope,
  rawTokens: false,
  proxyPaths: {
    google: ['/gmail/v1/users/me/messages', '/calendar/v3/calendars'],
    microsoft: ['/v1.0/me/mailFolders'],
    hubspot: ['/crm/v3/objects/contacts'],
  },
  writes: {},
};

let h: AppHarness;
beforeAll(async () => {
  h = await startApp({
    servicePolicies: new Map([
      ['crm-web', callouts],
      ['tenant-one', { ...callouts, providers: ['google'], proxyPaths: {} }],
    ]),
  });
});
afterAll(() => h.close());

/** The sandbox's host for a provider, as a caller names it in the proxy URL. */
const hostOf = (provider: Provider) => new URL(h.sandbox.urls[provider]).host;

const proxy = (
  connectionId: string,
  target: string,
  init: { method?: string; json?: unknown; purpose?: string; secret?: string } = {},
) =>
  h.api(`/v1/proxy/${connectionId}/${target}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    json: init.json,
    secret: init.secret,
    headers: { 'crm-sync-purpose': init.purpose ?? 'crm-callout' },
  });

/** The connection's broker audit lines, once `expected` of them are written (proxy lines go in batches). */
const auditOf = (connectionId: string, expected: number) =>
  waitFor(
    async () => {
      const rows = await h.db.dataSource.query<
        Array<{ type: string; actor: string; details: Record<string, unknown> }>
      >(
        `SELECT type, actor, details FROM audit_events WHERE connection_id = $1 AND type IN
          ('proxy_call', 'broker_refused') ORDER BY created_at, id`,
        [connectionId],
      );
      return rows.length >= expected && rows;
    },
    { what: `${expected} audit lines`, timeoutMs: 10_000, intervalMs: 25 },
  );

/** The worker's side of the connections' request budgets, over the same Redis prefix, at the real providers' size. */
const workerThrottle = () =>
  new ConnectionThrottle({
    redis: h.redis.redis,
    keyPrefix: h.redis.prefix,
    calloutShare: 0.2,
    requestBudgetFactor: 1,
  });

/** Requests the sandbox served for an account, whatever the route. */
const callsOf = (accountId: string) =>
  h.sandbox.control
    .counters()
    .filter((c) => c.accountId === accountId)
    .reduce((sum, c) => sum + c.count, 0);

const tokenCalls = (provider: Provider) =>
  h.sandbox.control
    .counters()
    .filter(
      (c) =>
        c.provider === provider && c.route === (provider === 'microsoft' ? 'identity.token' : 'oauth.token'),
    )
    .reduce((sum, c) => sum + c.count, 0);

async function connect(provider: Provider, email: string) {
  const connection = await connectSandboxAccount(h, { provider, email });
  const stored = (await h.deps.credentials.load(connection.connectionId))!;
  return { ...connection, stored };
}

/** Neither token of the connection shows in what the caller got or in anything connect-api logged. */
function expectNoToken(stored: { tokens: { accessToken: string; refreshToken?: string } }, body: string) {
  for (const secret of [stored.tokens.accessToken, stored.tokens.refreshToken!]) {
    expect(body).not.toContain(secret);
    expect(h.logs()).not.toContain(secret);
  }
}

describe('/v1/proxy/:connectionId/*', () => {
  it('lists Gmail messages and reads a Google calendar with the token injected, and audits each call', async () => {
    const { connectionId, stored } = await connect('google', 'proxy-google@example.com');
    const mail = await proxy(connectionId, `${hostOf('google')}/gmail/v1/users/me/messages?maxResults=5`);
    expect(mail.status).toBe(200);
    const mailBody = await mail.text();
    expect(JSON.parse(mailBody)).toHaveProperty('resultSizeEstimate');
    const calendar = await proxy(connectionId, `${hostOf('google')}/calendar/v3/calendars/primary/events`);
    expect(calendar.status).toBe(200);
    expect(((await calendar.json()) as { kind: string }).kind).toBe('calendar#events');
    expectNoToken(stored, mailBody);
    expect(await auditOf(connectionId, 2)).toEqual([
      {
        type: 'proxy_call',
        actor: 'service:crm-web',
        details: { purpose: 'crm-callout', method: 'GET', path: '/gmail/v1/users/me/messages', status: 200 },
      },
      {
        type: 'proxy_call',
        actor: 'service:crm-web',
        details: {
          purpose: 'crm-callout',
          method: 'GET',
          path: '/calendar/v3/calendars/primary/events',
          status: 200,
        },
      },
    ]);
  });

  it('lists Outlook mail through Graph over https', async () => {
    const { connectionId, stored } = await connect('microsoft', 'proxy-ms@example.com');
    const response = await proxy(
      connectionId,
      `${hostOf('microsoft')}/v1.0/me/mailFolders/inbox/messages/delta`,
    );
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(JSON.parse(body)).toHaveProperty('value');
    expectNoToken(stored, body);
  });

  it('forwards paths longer than a route parameter may be (provider ids can be long), and HEAD', async () => {
    const { connectionId } = await connect('microsoft', 'proxy-long@example.com');
    const folder = `${hostOf('microsoft')}/v1.0/me/mailFolders/${'A'.repeat(180)}`;
    const response = await proxy(connectionId, folder);
    // The answer is the provider's, not connect-api's problem document. (The sandbox's own router refuses a
    // parameter over Fastify's default 100 characters with 414.)
    expect(response.headers.get('content-type')).not.toMatch(/problem\+json/);
    expect(await auditOf(connectionId, 1)).toEqual([
      expect.objectContaining({
        type: 'proxy_call',
        details: expect.objectContaining({ status: response.status }),
      }),
    ]);
    const head = await proxy(connectionId, `${hostOf('microsoft')}/v1.0/me/mailFolders`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('streams a request body to HubSpot (a contacts search) and the answer back', async () => {
    const { connectionId } = await connect('hubspot', 'proxy-hubspot@example.com');
    const response = await proxy(connectionId, `${hostOf('hubspot')}/crm/v3/objects/contacts/search`, {
      json: { limit: 2, filterGroups: [] },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { results: unknown[] }).results.length).toBeLessThanOrEqual(2);
  });

  it('refreshes once on a 401 and retries, then answers as if nothing happened', async () => {
    const { connectionId, account, stored } = await connect('google', 'proxy-401@example.com');
    h.sandbox.control.expireTokens('google', account.id);
    const before = tokenCalls('google');
    const budget = GOOGLE_DESCRIPTOR.requestBudget;
    // This window and the next: the call may cross into it.
    const moments = [Date.now(), Date.now() + budget.windowMs];
    const spent = await calloutsSpent(connectionId, budget, moments);
    const response = await proxy(connectionId, `${hostOf('google')}/gmail/v1/users/me/messages`);
    expect(response.status).toBe(200);
    expect(tokenCalls('google')).toBe(before + 1);
    // Both requests count against the callouts' share of the user's quota.
    expect(await calloutsSpent(connectionId, budget, moments)).toBe(spent + 2);
    const after = (await h.deps.credentials.load(connectionId))!;
    expect(after.version).toBe(stored.version + 1);
    expect(after.tokens.accessToken).not.toBe(stored.tokens.accessToken);
  });

  it('streams a body too large to replay: its 401 goes back as it came, and the token is refreshed for the next call', async () => {
    const { connectionId, account } = await connect('hubspot', 'proxy-401-large@example.com');
    h.sandbox.control.expireTokens('hubspot', account.id);
    const before = tokenCalls('hubspot');
    const search = `${hostOf('hubspot')}/crm/v3/objects/contacts/search`;
    const large = await proxy(connectionId, search, { json: { limit: 1, pad: 'x'.repeat(70_000) } });
    expect(large.status).toBe(401);
    expect(tokenCalls('hubspot')).toBe(before + 1);
    expect((await proxy(connectionId, search, { json: { limit: 1, filterGroups: [] } })).status).toBe(200);
    expect(tokenCalls('hubspot')).toBe(before + 1);
  });

  it.each([
    [
      'a host outside the adapter',
      () => 'evil.example.com/gmail/v1/users/me/messages',
      403,
      'forbidden_host',
    ],
    [
      'a path outside the policy',
      () => `${hostOf('google')}/gmail/v1/users/me/settings/filters`,
      403,
      'forbidden_path',
    ],
    ['the token endpoint on the API origin', () => `${hostOf('google')}/token`, 403, 'forbidden_path'],
    [
      'an encoded traversal',
      () => `${hostOf('google')}/gmail/v1/users/me/messages/%2e%2e%2fsettings`,
      400,
      'invalid_path',
    ],
  ])('refuses %s and audits it', async (label, target, status, code) => {
    const { connectionId } = await connect('google', `proxy-${label.replace(/\W+/g, '-')}@example.com`);
    const response = await proxy(connectionId, target());
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ code });
    expect(await auditOf(connectionId, 1)).toEqual([
      expect.objectContaining({ type: 'broker_refused', details: expect.objectContaining({ reason: code }) }),
    ]);
  });

  it("holds the connection on Google's 403 userRateLimitExceeded as on a 429, handing the answer back as it came", async () => {
    const { connectionId, account } = await connect('google', 'proxy-403@example.com');
    // Below the cost of one messages.list: the sandbox answers Google's per-user 403.
    h.sandbox.control.setQuota({ provider: 'google', accountId: account.id, unitsPerSecond: 1, status: 403 });
    const target = `${hostOf('google')}/gmail/v1/users/me/messages`;
    const told = await proxy(connectionId, target);
    expect(told.status).toBe(403);
    expect(await told.json()).toMatchObject({
      error: { code: 403, errors: [{ reason: 'userRateLimitExceeded' }] },
    });
    const held = await proxy(connectionId, target);
    expect(held.status).toBe(429);
    expect(await held.json()).toMatchObject({ code: 'provider_throttled' });
    h.sandbox.control.clearQuota('google', account.id);
  });

  it('refuses a purpose or path outside the policy of the calling service', async () => {
    const { connectionId } = await connect('google', 'proxy-policy@example.com');
    const target = `${hostOf('google')}/gmail/v1/users/me/messages`;
    expect(await (await proxy(connectionId, target, { purpose: 'marketing' })).json()).toMatchObject({
      code: 'forbidden_purpose',
    });
    expect(await (await proxy(connectionId, target, { secret: T1_ONLY_SECRET })).json()).toMatchObject({
      code: 'forbidden_path',
    });
    expect((await h.api(`/v1/proxy/${connectionId}/${target}`)).status).toBe(400);
  });

  it("keeps the callouts' share of the connection's requests when a sync has spent its own", async () => {
    const { connectionId } = await connect('hubspot', 'proxy-sync-flat-out@example.com');
    // Its sync made its 88 of HubSpot's 110 requests this window.
    const worker = workerThrottle();
    const budget = HUBSPOT_DESCRIPTOR.requestBudget;
    await worker.spend(connectionId, 'sync', budget, worker.share('sync', budget), new Date());
    expect((await worker.admit(connectionId, 'sync', budget, new Date())).kind).toBe('spent');
    expect((await proxy(connectionId, `${hostOf('hubspot')}/crm/v3/objects/contacts`)).status).toBe(200);
  });

  it("refuses callouts past their share of the connection's requests, without calling the provider", async () => {
    const { connectionId, account } = await connect('hubspot', 'proxy-callout-burst@example.com');
    const target = `${hostOf('hubspot')}/crm/v3/objects/contacts`;
    const budget = HUBSPOT_DESCRIPTOR.requestBudget;
    const worker = workerThrottle();
    expect((await proxy(connectionId, target)).status).toBe(200);
    // Callouts made their 22 requests in this window and the next (the call below may fall in either).
    const now = Date.now();
    for (const at of [now, now + budget.windowMs]) {
      await worker.spend(connectionId, 'callout', budget, worker.share('callout', budget), new Date(at));
    }
    const calls = callsOf(account.id);
    const refused = await proxy(connectionId, target);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: 'callout_share_spent' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(callsOf(account.id)).toBe(calls);
    expect((await auditOf(connectionId, 2)).map((a) => a.details.status ?? a.details.reason)).toEqual([
      200,
      'callout_share_spent',
    ]);
    // The sync's share is untouched.
    expect((await worker.admit(connectionId, 'sync', budget, new Date())).kind).toBe('go');
  });

  it("gives back the request a refused call had taken early from the callouts' share", async () => {
    const { connectionId } = await connect('hubspot', 'proxy-refused-refund@example.com');
    const target = `${hostOf('hubspot')}/crm/v3/objects/contacts`;
    const budget = HUBSPOT_DESCRIPTOR.requestBudget;
    const worker = workerThrottle();
    // The first call leaves the connection's row in the proxy's memory: later calls take their request early.
    expect((await proxy(connectionId, target)).status).toBe(200);
    // One request of the callouts' share is left, in this window and the next (the calls below may fall in either).
    const now = Date.now();
    for (const at of [now, now + budget.windowMs]) {
      const used = await calloutsSpent(connectionId, budget, [at]);
      await worker.spend(
        connectionId,
        'callout',
        budget,
        worker.share('callout', budget) - 1 - used,
        new Date(at),
      );
    }
    for (let i = 0; i < 3; i += 1) {
      const refused = await proxy(connectionId, target, { purpose: 'marketing' });
      expect(await refused.json()).toMatchObject({ code: 'forbidden_purpose' });
    }
    expect((await proxy(connectionId, target)).status).toBe(200);
    expect(await (await proxy(connectionId, target)).json()).toMatchObject({ code: 'callout_share_spent' });
  });

  it('refuses a disconnected connection at once', async () => {
    const { connectionId } = await connect('hubspot', 'proxy-gone@example.com');
    const target = `${hostOf('hubspot')}/crm/v3/objects/contacts`;
    expect((await proxy(connectionId, target)).status).toBe(200);
    await disconnectConnection(h.deps, { connectionId, tenantId: 't1', purge: false, actor: 'user:u1' });
    const refused = await proxy(connectionId, target);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ code: 'connection_inactive' });
  });
});

/** Requests the callouts spent of the connection's budget in the windows holding `moments` (docs/token-broker.md). */
async function calloutsSpent(
  connectionId: string,
  budget: { windowMs: number },
  moments: number[],
): Promise<number> {
  let spent = 0;
  for (const moment of moments) {
    const window = Math.floor(moment / budget.windowMs);
    spent += Number(
      (await h.redis.redis.get(`${h.redis.prefix}provider-budget:${connectionId}:callout:${window}`)) ?? 0,
    );
  }
  return spent;
}
