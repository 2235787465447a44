import { randomBytes } from 'node:crypto';
import { parseVaultKeys } from '@crm-sync/config';
import { ConnectionGenerations, connectionOutcomes, disconnectConnection } from '@crm-sync/connections';
import { RESOURCES_BY_PROVIDER, type Provider } from '@crm-sync/core';
import { AccessTokens, ConnectionThrottle, runSlice, type SyncEngineDeps } from '@crm-sync/sync-engine';
import { CookieJar, waitFor } from '@crm-sync/testing';
import { CredentialStore, KeyRing } from '@crm-sync/vault';
import { CRM_ORIGIN, SECRET, startConnectApi, type ConnectApiProcess } from '../test/connectApi';

// Issue 21 (docs/token-broker.md): the token broker with connect-api as its own process and the sandbox as
// every provider.
const VAULT_KEYS = `e2e:${randomBytes(32).toString('base64')}`;
const POLICY = {
  crm: {
    providers: ['google', 'microsoft', 'hubspot'],
    purposes: ['crm-callout'],
    scopes: [
      'openid',
      'https://www.googleapis.com/auth/userinfo.email',
      'https://www.googleapis.com/auth/gmail.readonly',
      'https://www.googleapis.com/auth/calendar.readonly',
      'https://www.googleapis.com/auth/contacts.readonly',
      'https://www.googleapis.com/auth/tasks.readonly',
      'https://www.googleapis.com/auth/drive.file',
      'offline_access',
      'User.Read',
      'Mail.Read',
      'Calendars.Read',
      'Contacts.Read',
      'Tasks.Read',
      'oauth',
      'crm.objects.contacts.read',
      'crm.objects.companies.read',
      'crm.objects.deals.read',
      'crm.objects.owners.read',
    ],
    rawTokens: true,
    proxyPaths: {
      google: ['/gmail/v1/users/me/messages', '/calendar/v3/calendars'],
      microsoft: ['/v1.0/me/mailFolders'],
      hubspot: ['/crm/v3/objects/contacts', '/crm/v3/objects/notes'],
    },
  },
};

/** Proxied calls per service and connection per minute; no other test makes as many for one connection. */
const PROXY_LIMIT = 5;

let c: ConnectApiProcess;
let credentials: CredentialStore;
beforeAll(async () => {
  c = await startConnectApi({
    VAULT_KEYS,
    SERVICE_POLICIES: JSON.stringify(POLICY),
    PROXY_RATE_LIMIT_PER_MINUTE: String(PROXY_LIMIT),
  });
  credentials = new CredentialStore({
    db: c.h.db.dataSource,
    keyRing: new KeyRing(parseVaultKeys(VAULT_KEYS, undefined)),
  });
}, 60_000);
afterAll(() => c.close());

const hostOf = (provider: Provider) => new URL(c.h.sandbox.urls[provider]).host;

/** A CRM user connects `email` at the sandbox through connect-api's own connect flow and callback. */
async function connect(provider: Provider, email: string): Promise<string> {
  c.h.sandbox.control.createAccount({ provider, email });
  c.h.sandbox.control.setAuthorize(provider, { defaultLoginEmail: email });
  const started = await c.api(`/v1/connect/${provider}`, {
    json: {
      tenantId: 't1',
      crmUserId: email,
      resources: [...RESOURCES_BY_PROVIDER[provider]],
      redirectUrl: `${CRM_ORIGIN}/done`,
      loginHint: email,
    },
  });
  const { authorizationUrl } = (await started.json()) as { authorizationUrl: string };
  const browser = new CookieJar();
  const opened = await browser.fetch(authorizationUrl);
  const send = provider === 'microsoft' ? c.h.trustingFetch : fetch;
  const atProvider = await send(opened.headers.get('location')!, { redirect: 'manual' });
  const done = await browser.fetch(atProvider.headers.get('location')!);
  const connectionId = new URL(done.headers.get('location')!).searchParams.get('connectionId');
  if (!connectionId) throw new Error(`connect failed: ${done.headers.get('location')}`);
  return connectionId;
}

const proxy = (connectionId: string, target: string, init: { purpose?: string; json?: unknown } = {}) =>
  fetch(`${c.baseUrl}/v1/proxy/${connectionId}/${target}`, {
    method: init.json === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${SECRET}`,
      'crm-sync-purpose': init.purpose ?? 'crm-callout',
      ...(init.json !== undefined && { 'content-type': 'application/json' }),
    },
    ...(init.json !== undefined && { body: JSON.stringify(init.json) }),
  });

/** The broker's audit lines of a connection, once `expected` of them are written (proxy lines are batched). */
const audit = (connectionId: string, expected: number) =>
  waitFor(
    async () => {
      const rows = await c.h.db.dataSource.query<
        Array<{ type: string; actor: string; details: Record<string, unknown> }>
      >(
        `SELECT type, actor, details FROM audit_events WHERE connection_id = $1 AND type IN
          ('access_token_issued', 'proxy_call', 'broker_refused') ORDER BY created_at, id`,
        [connectionId],
      );
      return rows.length >= expected && rows;
    },
    { what: `${expected} audit lines`, timeoutMs: 10_000, intervalMs: 25 },
  );

/** Requests the sandbox served for an account, whatever the route. */
const callsOf = (account: string) =>
  c.h.sandbox.control
    .counters()
    .filter((e) => e.accountId === account)
    .reduce((sum, e) => sum + e.count, 0);

/**
 * The connection use cases as another process (the worker) runs them: connect-api's database, vault key and Redis
 * prefix, so what they end is announced where connect-api's proxy looks (ConnectionGenerations).
 */
const elsewhere = () => ({
  ...c.h.deps,
  credentials,
  generations: new ConnectionGenerations({ redis: c.h.redis.redis, keyPrefix: `${c.keyPrefix}:` }),
});

/** The sync engine in this process, over connect-api's database, vault key and Redis prefix (the worker's). */
const engine = (): SyncEngineDeps => ({
  db: c.h.db.dataSource,
  adapters: c.h.deps.adapters,
  content: c.h.deps.content,
  tokens: new AccessTokens({
    credentials,
    redis: c.h.redis.redis,
    keyPrefix: `${c.keyPrefix}:`,
    refreshMarginMs: 60_000,
    lockTtlMs: 10_000,
  }),
  throttle: new ConnectionThrottle({
    redis: c.h.redis.redis,
    keyPrefix: `${c.keyPrefix}:`,
    calloutShare: 0.2,
    requestBudgetFactor: Number(c.env.PROVIDER_REQUEST_BUDGET_FACTOR),
  }),
  outcomes: connectionOutcomes(elsewhere()),
  options: {
    incrementalIntervalMs: 60_000,
    intervalJitterRatio: 0.1,
    initialWindowDays: 90,
    backoffBaseMs: 1_000,
    backoffMaxMs: 60_000,
  },
});

const tokenCalls = (provider: Provider) =>
  c.h.sandbox.control
    .counters()
    .filter(
      (e) =>
        e.provider === provider && e.route === (provider === 'microsoft' ? 'identity.token' : 'oauth.token'),
    )
    .reduce((sum, e) => sum + e.count, 0);

/** Every token the connection ever held, to look for in responses and logs. */
const seen: string[] = [];
async function remember(connectionId: string) {
  const stored = (await credentials.load(connectionId))!;
  seen.push(stored.tokens.accessToken, stored.tokens.refreshToken!);
  return stored;
}

describe('token broker, connect-api as a process', () => {
  it('issues a Google access token (never the refresh token) and proxies mail and calendar reads', async () => {
    const connectionId = await connect('google', 'broker-google@example.com');
    const stored = await remember(connectionId);
    const issued = await c.api(`/v1/connections/${connectionId}/access-token`, {
      json: { purpose: 'crm-callout' },
    });
    expect(issued.status).toBe(200);
    expect(issued.headers.get('cache-control')).toBe('no-store');
    const text = await issued.text();
    expect(JSON.parse(text)).toMatchObject({ accessToken: stored.tokens.accessToken, tokenType: 'Bearer' });
    expect(text).not.toContain(stored.tokens.refreshToken!);

    const mail = await proxy(connectionId, `${hostOf('google')}/gmail/v1/users/me/messages?maxResults=3`);
    expect(mail.status).toBe(200);
    expect(await mail.json()).toHaveProperty('resultSizeEstimate');
    const calendar = await proxy(connectionId, `${hostOf('google')}/calendar/v3/calendars/primary/events`);
    expect(calendar.status).toBe(200);
    expect(await calendar.json()).toMatchObject({ kind: 'calendar#events' });
    expect((await audit(connectionId, 3)).map((a) => [a.type, a.details.path ?? a.details.purpose])).toEqual([
      ['access_token_issued', 'crm-callout'],
      ['proxy_call', '/gmail/v1/users/me/messages'],
      ['proxy_call', '/calendar/v3/calendars/primary/events'],
    ]);
  });

  it('proxies an Outlook mail listing over https and a HubSpot search with a body', async () => {
    const outlook = await connect('microsoft', 'broker-ms@example.com');
    await remember(outlook);
    const mail = await proxy(outlook, `${hostOf('microsoft')}/v1.0/me/mailFolders/inbox/messages/delta`);
    expect(mail.status).toBe(200);
    expect(await mail.json()).toHaveProperty('value');

    const hubspot = await connect('hubspot', 'broker-hubspot@example.com');
    await remember(hubspot);
    const search = await proxy(hubspot, `${hostOf('hubspot')}/crm/v3/objects/contacts/search`, {
      json: { limit: 1, filterGroups: [] },
    });
    expect(search.status).toBe(200);
    expect(await search.json()).toHaveProperty('results');
  });

  it('creates a HubSpot note through the proxy', async () => {
    const connectionId = await connect('hubspot', 'broker-note@example.com');
    await remember(connectionId);
    const properties = { hs_timestamp: '2026-12-02T10:00:00.000Z', hs_note_body: 'Called about the renewal' };
    const created = await proxy(connectionId, `${hostOf('hubspot')}/crm/v3/objects/notes`, {
      json: { properties },
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ properties, archived: false });
    const missing = await proxy(connectionId, `${hostOf('hubspot')}/crm/v3/objects/notes`, {
      json: { properties: { hs_note_body: 'no timestamp' } },
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ category: 'VALIDATION_ERROR' });
    expect(
      (await audit(connectionId, 2)).map((a) => [a.details.method, a.details.path, a.details.status]),
    ).toEqual([
      ['POST', '/crm/v3/objects/notes', 201],
      ['POST', '/crm/v3/objects/notes', 400],
    ]);
  });

  it('refreshes once on a 401 and retries', async () => {
    const connectionId = await connect('microsoft', 'broker-401@example.com');
    const before = await remember(connectionId);
    c.h.sandbox.control.expireTokens('microsoft', (await accountId(connectionId))!);
    const refreshes = tokenCalls('microsoft');
    const mail = await proxy(connectionId, `${hostOf('microsoft')}/v1.0/me/mailFolders/inbox/messages/delta`);
    expect(mail.status).toBe(200);
    expect(tokenCalls('microsoft')).toBe(refreshes + 1);
    const after = await remember(connectionId);
    expect(after.version).toBe(before.version + 1);
  });

  it('refuses what the policy does not allow, and audits it', async () => {
    const connectionId = await connect('hubspot', 'broker-refused@example.com');
    const outside = await proxy(connectionId, 'api.example.net/crm/v3/objects/contacts');
    expect(outside.status).toBe(403);
    expect(await outside.json()).toMatchObject({ code: 'forbidden_host' });
    const purpose = await proxy(connectionId, `${hostOf('hubspot')}/crm/v3/objects/contacts`, {
      purpose: 'marketing',
    });
    expect(await purpose.json()).toMatchObject({ code: 'forbidden_purpose' });
    expect((await audit(connectionId, 2)).map((a) => [a.type, a.details.reason])).toEqual([
      ['broker_refused', 'forbidden_host'],
      ['broker_refused', 'forbidden_purpose'],
    ]);
  });

  it('refuses a connection disconnected by another process on the very next call, its row cached', async () => {
    const connectionId = await connect('google', 'broker-gone@example.com');
    await remember(connectionId);
    const target = `${hostOf('google')}/gmail/v1/users/me/messages`;
    // Twice, so the second call is served from connect-api's memory (ConnectionCache) before the disconnect.
    for (let i = 0; i < 2; i += 1) expect((await proxy(connectionId, target)).status).toBe(200);
    await disconnectConnection(elsewhere(), {
      connectionId,
      tenantId: 't1',
      purge: false,
      actor: 'user:u1',
    });
    const calls = callsOf((await accountId(connectionId))!);
    const refused = await proxy(connectionId, target);
    expect(refused.status).toBe(409);
    // Refused by connect-api itself: the provider was not asked (it would have refused the revoked token too).
    expect(callsOf((await accountId(connectionId))!)).toBe(calls);
    const issued = await c.api(`/v1/connections/${connectionId}/access-token`, {
      json: { purpose: 'crm-callout' },
    });
    expect(await issued.json()).toMatchObject({ code: 'connection_inactive' });
  });

  it('refuses a connection whose grant a sync found revoked, on the very next call', async () => {
    const connectionId = await connect('hubspot', 'broker-revoked@example.com');
    await remember(connectionId);
    const target = `${hostOf('hubspot')}/crm/v3/objects/contacts`;
    for (let i = 0; i < 2; i += 1) expect((await proxy(connectionId, target)).status).toBe(200);
    // What the worker does when a slice or a refresh finds the grant gone (needs_reauth, credentials deleted).
    await connectionOutcomes(elsewhere()).revoked({ connectionId, reason: 'invalid_grant', now: new Date() });
    const calls = callsOf((await accountId(connectionId))!);
    const refused = await proxy(connectionId, target);
    expect(refused.status).toBe(409);
    expect(callsOf((await accountId(connectionId))!)).toBe(calls);
    expect(await refused.json()).toMatchObject({ code: 'connection_inactive' });
  });

  it("limits each service's calls per connection: 429 with Retry-After and a problem document", async () => {
    const connectionId = await connect('hubspot', 'broker-limit@example.com');
    await remember(connectionId);
    const target = `${hostOf('hubspot')}/crm/v3/objects/contacts`;
    for (let i = 0; i < PROXY_LIMIT; i += 1) expect((await proxy(connectionId, target)).status).toBe(200);
    const account = (await accountId(connectionId))!;
    const calls = callsOf(account);
    const limited = await proxy(connectionId, target);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(await limited.json()).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(callsOf(account)).toBe(calls);
  });

  it("shares a provider's 429 with the sync: each side waits out the other's throttling", async () => {
    const target = `${hostOf('google')}/gmail/v1/users/me/messages`;
    // The proxy is told first: the provider's answer goes back as it came, then neither side calls.
    const viaProxy = await connect('google', 'broker-throttled@example.com');
    await remember(viaProxy);
    const account = (await accountId(viaProxy))!;
    c.h.sandbox.control.addFault({
      provider: 'google',
      accountId: account,
      action: { kind: 'status', status: 429, retryAfterSeconds: 30 },
      next: 1,
    });
    const told = await proxy(viaProxy, target);
    expect([told.status, told.headers.get('retry-after')]).toEqual([429, '30']);
    const calls = callsOf(account);
    const held = await proxy(viaProxy, target);
    expect(held.status).toBe(429);
    expect(await held.json()).toMatchObject({ code: 'provider_throttled' });
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(25);
    const slice = await runSlice(engine(), { connectionId: viaProxy, resource: 'contacts', budgetMs: 5_000 });
    expect(slice.kind).toBe('rate_limited');
    if (slice.kind === 'rate_limited') expect(slice.retryAfterMs).toBeGreaterThan(25_000);
    expect(callsOf(account)).toBe(calls);
    expect((await audit(viaProxy, 2)).map((a) => [a.type, a.details.status ?? a.details.reason])).toEqual([
      ['proxy_call', 429],
      ['broker_refused', 'provider_throttled'],
    ]);

    // The sync is told first: the proxy refuses without calling until the provider's Retry-After is over.
    const viaSync = await connect('google', 'broker-sync-throttled@example.com');
    await remember(viaSync);
    const syncAccount = (await accountId(viaSync))!;
    c.h.sandbox.control.addFault({
      provider: 'google',
      accountId: syncAccount,
      action: { kind: 'status', status: 429, retryAfterSeconds: 20 },
      next: 1,
    });
    expect(
      await runSlice(engine(), { connectionId: viaSync, resource: 'contacts', budgetMs: 5_000 }),
    ).toMatchObject({ kind: 'rate_limited', retryAfterMs: 20_000 });
    const syncCalls = callsOf(syncAccount);
    const refused = await proxy(viaSync, target);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: 'provider_throttled' });
    expect(callsOf(syncAccount)).toBe(syncCalls);
  });

  it('never wrote a token to its output', () => {
    expect(seen.length).toBeGreaterThan(0);
    for (const token of seen) expect(c.app.output()).not.toContain(token);
  });
});

async function accountId(connectionId: string): Promise<string | undefined> {
  const [row] = await c.h.db.dataSource.query<Array<{ provider_account_id: string }>>(
    `SELECT provider_account_id FROM connections WHERE id = $1`,
    [connectionId],
  );
  return row?.provider_account_id;
}
