import { disconnectConnection } from '@crm-sync/connections';
import { connectSandboxAccount } from '@crm-sync/connections/testing';
import type { ServicePolicy } from '@crm-sync/config';
import { GOOGLE_DESCRIPTOR } from '@crm-sync/providers';
import { startApp, T1_ONLY_SECRET, type AppHarness } from '../test/appHarness';

const GOOGLE_MAIL_SCOPES = [...GOOGLE_DESCRIPTOR.identityScopes, ...GOOGLE_DESCRIPTOR.scopesByResource.mail];
const rawTokens: ServicePolicy = {
  providers: ['google'],
  purposes: ['send-followup'],
  scopes: GOOGLE_MAIL_SCOPES,
  rawTokens: true,
  proxyPaths: {},
  writes: {},
};

let h: AppHarness;
beforeAll(async () => {
  h = await startApp({
    accessTokenRateLimitPerMinute: 3,
    servicePolicies: new Map([
      ['crm-web', rawTokens],
      ['tenant-one', { ...rawTokens, rawTokens: false }],
    ]),
  });
});
afterAll(() => h.close());

const issue = (connectionId: string, purpose = 'send-followup', secret?: string) =>
  h.api(`/v1/connections/${connectionId}/access-token`, { method: 'POST', json: { purpose }, secret });

const audit = (connectionId: string) =>
  h.db.dataSource.query<Array<{ type: string; actor: string; details: Record<string, unknown> }>>(
    `SELECT type, actor, details FROM audit_events WHERE connection_id = $1 AND type IN
      ('access_token_issued', 'broker_refused') ORDER BY id`,
    [connectionId],
  );

async function connectGoogle(email: string, resources: Array<'mail' | 'calendar'> = ['mail']) {
  return connectSandboxAccount(h, { provider: 'google', email, resources });
}

describe('POST /v1/connections/:id/access-token', () => {
  it('hands out the current access token, never the refresh token, uncached, and audits it', async () => {
    const { connectionId } = await connectGoogle('issue@example.com');
    const stored = (await h.deps.credentials.load(connectionId))!;
    const response = await issue(connectionId);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      accessToken: stored.tokens.accessToken,
      tokenType: 'Bearer',
      expiresAt: stored.expiresAt!.toISOString(),
      scopes: expect.arrayContaining(GOOGLE_MAIL_SCOPES),
    });
    expect(text).not.toContain(stored.tokens.refreshToken!);
    expect(h.logs()).not.toContain(stored.tokens.accessToken);
    expect(h.logs()).not.toContain(stored.tokens.refreshToken!);
    expect(await audit(connectionId)).toEqual([
      {
        type: 'access_token_issued',
        actor: 'service:crm-web',
        details: {
          purpose: 'send-followup',
          scopes: expect.arrayContaining(GOOGLE_MAIL_SCOPES),
          expiresAt: stored.expiresAt!.toISOString(),
        },
      },
    ]);
    const log = await h.api(`/v1/connections/${connectionId}/log?tenantId=t1&limit=1`);
    expect(((await log.json()) as { events: Array<{ type: string }> }).events).toEqual([
      expect.objectContaining({ type: 'access_token_issued', actor: 'service:crm-web' }),
    ]);
  });

  it('refreshes first when the stored token expires within the margin', async () => {
    const { connectionId, account } = await connectGoogle('expiring@example.com');
    const before = (await h.deps.credentials.load(connectionId))!;
    await h.db.dataSource.query(
      `UPDATE credentials SET expires_at = now() + interval '10 seconds' WHERE connection_id = $1`,
      [connectionId],
    );
    const body = (await (await issue(connectionId)).json()) as { accessToken: string; expiresAt: string };
    expect(body.accessToken).not.toBe(before.tokens.accessToken);
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now() + 30 * 60_000);
    await expect(h.deps.adapters.get('google')!.oauth.identity(body.accessToken)).resolves.toMatchObject({
      providerAccountId: account.id,
    });
  });

  it.each([
    ['a purpose outside the policy', () => ({ purpose: 'marketing' }), 403, 'forbidden_purpose'],
    ['a service that may only use the proxy', () => ({ secret: T1_ONLY_SECRET }), 403, 'proxy_only'],
  ])('refuses %s with a problem document and audits it', async (_label, options, status, code) => {
    const { connectionId } = await connectGoogle(`refused-${code}@example.com`);
    const { purpose, secret } = { purpose: 'send-followup', secret: undefined, ...options() };
    const response = await issue(connectionId, purpose, secret);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status, code });
    expect(await audit(connectionId)).toEqual([
      expect.objectContaining({ type: 'broker_refused', details: expect.objectContaining({ reason: code }) }),
    ]);
  });

  it('refuses a connection whose grant reaches beyond the policy scopes', async () => {
    const { connectionId } = await connectGoogle('wide@example.com', ['mail', 'calendar']);
    const response = await issue(connectionId);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'forbidden_scopes' });
  });

  it("refuses another tenant's connection as not found, and a bad purpose as a bad request", async () => {
    const { connectionId } = await connectSandboxAccount(h, {
      provider: 'google',
      email: 'other-tenant@example.com',
      resources: ['mail'],
      tenantId: 't2',
    });
    const foreign = await issue(connectionId, 'send-followup', T1_ONLY_SECRET);
    expect(foreign.status).toBe(404);
    expect((await issue(connectionId, 'Not A Purpose')).status).toBe(400);
    expect(await audit(connectionId)).toEqual([]);
  });

  it('refuses a disconnected connection at once and never refreshes its token again', async () => {
    const { connectionId } = await connectGoogle('gone@example.com');
    expect((await issue(connectionId)).status).toBe(200);
    await disconnectConnection(h.deps, { connectionId, tenantId: 't1', purge: false, actor: 'user:u1' });
    const refused = await issue(connectionId);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ code: 'connection_inactive' });
    expect(await h.deps.credentials.load(connectionId)).toBeNull();
  });

  it('ends the connection when the refresh finds the grant revoked, so no caller retries it', async () => {
    const { connectionId, account } = await connectGoogle('revoked-at-google@example.com');
    await h.db.dataSource.query(
      `UPDATE credentials SET expires_at = now() + interval '10 seconds' WHERE connection_id = $1`,
      [connectionId],
    );
    h.sandbox.control.revokeTokens('google', account.id);
    const refused = await issue(connectionId);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ code: 'connection_inactive' });
    const [row] = await h.db.dataSource.query(`SELECT status FROM connections WHERE id = $1`, [connectionId]);
    expect(row.status).toBe('needs_reauth');
    expect(await h.deps.credentials.load(connectionId)).toBeNull();
    const types = await h.db.dataSource.query<Array<{ type: string }>>(
      `SELECT type FROM audit_events WHERE connection_id = $1 AND type IN ('token_revoked', 'broker_refused') ORDER BY id`,
      [connectionId],
    );
    expect(types.map((t) => t.type)).toEqual(['token_revoked', 'broker_refused']);
  });

  it('limits tokens per service and connection', async () => {
    const { connectionId } = await connectGoogle('limited@example.com');
    for (let i = 0; i < 3; i++) expect((await issue(connectionId)).status).toBe(200);
    const limited = await issue(connectionId);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    const { connectionId: other } = await connectGoogle('limited-other@example.com');
    expect((await issue(other)).status).toBe(200);
  });
});
