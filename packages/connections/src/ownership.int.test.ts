import { setSyncStates } from '@crm-sync/sync-states/testing';
import { completeConnect } from './completeConnect';
import {
  connectSandboxAccount,
  consentInBrowser,
  createConnectionsHarness,
  type ConnectionsHarness,
} from '../test';
import type { Resource } from '@crm-sync/core';

// docs/connect-flow.md, "Who owns a provider account".
let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

const query = <T>(sql: string, params: unknown[] = []) => h.db.dataSource.query<T[]>(sql, params);

/** Everything stored about a connection, as raw rows: a refused takeover must leave all of it as it was. */
const snapshot = async (connectionId: string) => ({
  connection: await query(`SELECT * FROM connections WHERE id = $1`, [connectionId]),
  credentials: await query(`SELECT * FROM credentials WHERE connection_id = $1`, [connectionId]),
  states: await query(`SELECT * FROM sync_states WHERE connection_id = $1 ORDER BY resource`, [connectionId]),
  connections: await query(`SELECT count(*)::int AS n FROM connections`),
});

const revokedAtSandbox = () =>
  h.sandbox.control
    .counters()
    .filter((c) => c.provider === 'google' && c.route === 'oauth.revoke' && c.status === 200)
    .reduce((n, c) => n + c.count, 0);

async function attempt(email: string, tenantId: string, crmUserId: string, resources: Resource[] = ['mail']) {
  const consented = await consentInBrowser(h, {
    provider: 'google',
    tenantId,
    crmUserId,
    resources,
    redirectUrl: 'https://crm.example.com/done',
    loginHint: email,
  });
  return completeConnect(h.deps, consented.callback());
}

describe.each([
  ['another user of the same tenant', 't1', 'mallory', true],
  ['a user of another tenant', 't2', 'u-other', false],
])('a consent for an account connected by %s', (_label, tenantId, crmUserId, sameTenant) => {
  it('is refused: nothing changes, the new grant is revoked and the attempt is audited', async () => {
    const email = `shared-${tenantId}@example.com`;
    const owner = await connectSandboxAccount(h, {
      provider: 'google',
      email,
      tenantId: 't1',
      crmUserId: 'owner',
      resources: ['mail'],
    });
    await setSyncStates(
      h.db.dataSource,
      { connectionIds: [owner.connectionId] },
      { cursor: 'history-42', mode: 'incremental' },
    );
    const before = await snapshot(owner.connectionId);
    const ownerTokens = (await h.deps.credentials.load(owner.connectionId))!.tokens;
    const revokes = revokedAtSandbox();

    const outcome = await attempt(email, tenantId, crmUserId);

    expect(outcome).toMatchObject({ kind: 'failed', error: 'account_already_connected' });
    expect(await snapshot(owner.connectionId)).toEqual(before);
    expect(revokedAtSandbox()).toBe(revokes + 1);
    // Only the new grant was revoked: the owner's tokens still work.
    const userinfo = await fetch(`${h.sandbox.urls.google}/oauth2/v2/userinfo`, {
      headers: { authorization: `Bearer ${ownerTokens.accessToken}` },
    });
    expect(userinfo.status).toBe(200);
    const audit = await query<{
      connection_id: string | null;
      tenant_id: string;
      actor: string;
      details: object;
    }>(
      `SELECT connection_id, tenant_id, actor, details FROM audit_events WHERE type = 'takeover_refused' AND actor = $1`,
      [`user:${crmUserId}`],
    );
    expect(audit).toEqual([
      {
        connection_id: sameTenant ? owner.connectionId : null,
        tenant_id: tenantId,
        actor: `user:${crmUserId}`,
        details: {
          provider: 'google',
          ownerInSameTenant: sameTenant,
          requestedScopes: expect.any(Array),
          revoke: 'revoked',
        },
      },
    ]);
    expect(JSON.stringify(audit)).not.toContain(ownerTokens.accessToken);
  });
});

describe('the owner reconnecting', () => {
  it('keeps the connection, its data and cursors, and may widen the scopes', async () => {
    const email = 'widen@example.com';
    const owner = await connectSandboxAccount(h, {
      provider: 'google',
      email,
      tenantId: 't1',
      crmUserId: 'u1',
      resources: ['mail'],
    });
    await setSyncStates(
      h.db.dataSource,
      { connectionIds: [owner.connectionId] },
      { cursor: 'history-7', mode: 'incremental' },
    );

    const outcome = await attempt(email, 't1', 'u1', ['mail', 'calendar']);

    expect(outcome).toMatchObject({ kind: 'connected', connectionId: owner.connectionId, reconnected: true });
    const [row] = await query<{ resources: string[] }>(`SELECT resources FROM connections WHERE id = $1`, [
      owner.connectionId,
    ]);
    expect(row!.resources).toEqual(['mail', 'calendar']);
    expect(
      await query(
        `SELECT resource, cursor, enabled FROM sync_states WHERE connection_id = $1 ORDER BY resource`,
        [owner.connectionId],
      ),
    ).toEqual([
      { resource: 'calendar', cursor: null, enabled: true },
      { resource: 'mail', cursor: 'history-7', enabled: true },
    ]);
  });
});

describe('a disconnected connection', () => {
  it('releases the account: another user gets a new connection, the old one stays as the log', async () => {
    const email = 'released@example.com';
    const old = await connectSandboxAccount(h, {
      provider: 'google',
      email,
      tenantId: 't1',
      crmUserId: 'leaver',
      resources: ['mail'],
    });
    await query(`UPDATE connections SET status = 'disconnected' WHERE id = $1`, [old.connectionId]);

    const outcome = await attempt(email, 't1', 'successor');

    expect(outcome).toMatchObject({ kind: 'connected', reconnected: false });
    if (outcome.kind !== 'connected') throw new Error('not connected');
    expect(outcome.connectionId).not.toBe(old.connectionId);
    const [row] = await query<{ crm_user_id: string; status: string }>(
      `SELECT crm_user_id, status FROM connections WHERE id = $1`,
      [old.connectionId],
    );
    expect(row).toEqual({ crm_user_id: 'leaver', status: 'disconnected' });
  });
});

describe('a failure after the code exchange', () => {
  it('revokes the new grant and stores nothing', async () => {
    const email = 'identity-down@example.com';
    h.sandbox.control.createAccount({ provider: 'google', email });
    const consented = await consentInBrowser(h, {
      provider: 'google',
      tenantId: 't1',
      crmUserId: 'u1',
      resources: ['mail'],
      redirectUrl: 'https://crm.example.com/done',
      loginHint: email,
    });
    const revokes = revokedAtSandbox();
    const [{ n }] = (await query<{ n: number }>(`SELECT count(*)::int AS n FROM connections`)) as [
      { n: number },
    ];
    h.sandbox.control.addFault({
      provider: 'google',
      route: 'oauth.userinfo',
      action: { kind: 'status', status: 503 },
      next: 10,
    });
    try {
      const outcome = await completeConnect(h.deps, consented.callback());
      expect(outcome).toMatchObject({ kind: 'failed', error: 'provider_error' });
    } finally {
      h.sandbox.control.clearFaults();
    }
    expect(revokedAtSandbox()).toBe(revokes + 1);
    expect(await query(`SELECT count(*)::int AS n FROM connections`)).toEqual([{ n }]);
  });
});
