import { RESOURCES_BY_PROVIDER, type Provider } from '@crm-sync/core';
import { QUEUE_NAMES } from '@crm-sync/queue';
import { completeConnect } from './completeConnect';
import { consentInBrowser, createConnectionsHarness, type ConnectionsHarness } from '../test';

let h: ConnectionsHarness;
const CONNECTABLE: Provider[] = ['google', 'microsoft', 'hubspot'];
const CRM_REDIRECT = 'https://crm.example.com/integrations/done';

beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

/** One sandbox account per provider and tenant: an account has one owner (docs/connect-flow.md). */
const accounts = new Set<string>();
function accountFor(provider: Provider, tenantId: string): string {
  const email = `ada-${tenantId}@${provider}.example.com`;
  if (!accounts.has(email)) h.sandbox.control.createAccount({ provider, email });
  accounts.add(email);
  // HubSpot's consent ignores login_hint (the user picks an account in its UI): name the account here.
  h.sandbox.control.setAuthorize(provider, { defaultLoginEmail: email });
  return email;
}

function begin(provider: Provider, tenantId = 't1') {
  return consentInBrowser(h, {
    provider,
    tenantId,
    crmUserId: 'u1',
    resources: [...RESOURCES_BY_PROVIDER[provider]],
    redirectUrl: CRM_REDIRECT,
    loginHint: accountFor(provider, tenantId),
  });
}

const count = async (table: string) =>
  Number((await h.db.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

const events = async () => {
  await h.relay();
  return h.deps.producer.queue(QUEUE_NAMES.connectionEvents).getJobs(['waiting']);
};

describe.each(CONNECTABLE)('%s connect flow', (provider) => {
  it('stores a sealed credential, due sync states and an audit event, and announces the connection', async () => {
    const callback = await begin(provider);
    const outcome = await completeConnect(h.deps, callback.callback());
    expect(outcome).toMatchObject({ kind: 'connected', reconnected: false, redirectUrl: CRM_REDIRECT });
    if (outcome.kind !== 'connected') throw new Error('not connected');

    const [connection] = await h.db.dataSource.query(`SELECT * FROM connections WHERE id = $1`, [
      outcome.connectionId,
    ]);
    expect(connection).toMatchObject({
      provider,
      tenant_id: 't1',
      status: 'active',
      email: `ada-t1@${provider}.example.com`,
    });
    expect(connection.granted_scopes.length).toBeGreaterThan(0);
    const stored = await h.deps.credentials.load(outcome.connectionId);
    expect(stored?.tokens.accessToken).toBeTruthy();
    expect(stored?.tokens.refreshToken).toBeTruthy();
    const [raw] = await h.db.dataSource.query(`SELECT sealed FROM credentials WHERE connection_id = $1`, [
      outcome.connectionId,
    ]);
    expect(raw.sealed.toString('latin1')).not.toContain(stored!.tokens.accessToken);

    const states = await h.db.dataSource.query(
      `SELECT resource, enabled, next_sync_at <= now() AS due FROM sync_states WHERE connection_id = $1 ORDER BY resource`,
      [outcome.connectionId],
    );
    expect(states).toEqual(
      [...RESOURCES_BY_PROVIDER[provider]].sort().map((resource) => ({ resource, enabled: true, due: true })),
    );
    const audit = await h.db.dataSource.query(
      `SELECT type, details FROM audit_events WHERE connection_id = $1`,
      [outcome.connectionId],
    );
    expect(audit.map((a: { type: string }) => a.type)).toEqual(['connected']);
    expect(JSON.stringify(audit)).not.toContain(stored!.tokens.accessToken);

    const announced = (await events()).filter((j) => j.data.connectionId === outcome.connectionId);
    expect(announced.map((j) => j.data)).toEqual([
      expect.objectContaining({ type: 'connection.connected', provider, reconnected: false }),
    ]);
  });

  it('reuses the connection when the same account reconnects and clears needs_reauth', async () => {
    const first = await begin(provider, 't-re');
    const a = await completeConnect(h.deps, first.callback());
    if (a.kind !== 'connected') throw new Error('not connected');
    await h.db.dataSource.query(`UPDATE connections SET status = 'needs_reauth' WHERE id = $1`, [
      a.connectionId,
    ]);
    const second = await begin(provider, 't-re');
    const b = await completeConnect(h.deps, second.callback());
    expect(b).toMatchObject({ kind: 'connected', connectionId: a.connectionId, reconnected: true });
    const [row] = await h.db.dataSource.query(`SELECT status FROM connections WHERE id = $1`, [
      a.connectionId,
    ]);
    expect(row.status).toBe('active');
  });
});

describe('partial consent', () => {
  it('records the grant, disables the resources whose scopes were withheld and audits it', async () => {
    const calendarScope = 'https://www.googleapis.com/auth/calendar.readonly';
    h.sandbox.control.setAuthorize('google', { withholdScopes: [calendarScope] });
    const callback = await begin('google', 't-partial');
    h.sandbox.control.setAuthorize('google', { withholdScopes: [] });
    const outcome = await completeConnect(h.deps, callback.callback());
    expect(outcome).toMatchObject({ kind: 'connected', missingResources: ['calendar'] });
    if (outcome.kind !== 'connected') throw new Error('not connected');
    const [connection] = await h.db.dataSource.query(
      `SELECT granted_scopes, requested_scopes FROM connections WHERE id = $1`,
      [outcome.connectionId],
    );
    expect(connection.requested_scopes).toContain(calendarScope);
    expect(connection.granted_scopes).not.toContain(calendarScope);
    const states = await h.db.dataSource.query(
      `SELECT resource, enabled, status, disabled_reason FROM sync_states WHERE connection_id = $1 ORDER BY resource`,
      [outcome.connectionId],
    );
    expect(states).toEqual([
      {
        resource: 'calendar',
        enabled: false,
        status: 'disabled',
        disabled_reason: `scopes not granted: ${calendarScope}`,
      },
      { resource: 'contacts', enabled: true, status: 'idle', disabled_reason: null },
      { resource: 'files', enabled: true, status: 'idle', disabled_reason: null },
      { resource: 'mail', enabled: true, status: 'idle', disabled_reason: null },
      { resource: 'tasks', enabled: true, status: 'idle', disabled_reason: null },
    ]);
    const audit = await h.db.dataSource.query(
      `SELECT type, details FROM audit_events WHERE connection_id = $1 ORDER BY id`,
      [outcome.connectionId],
    );
    expect(audit.map((a: { type: string }) => a.type)).toEqual(['connected', 'scopes_partial']);
    expect(audit[1].details).toEqual({ missing: { calendar: [calendarScope] } });
  });
});

describe('rejected callbacks leave nothing behind', () => {
  async function nothingChanged<T>(action: () => Promise<T>): Promise<T> {
    const before = await Promise.all(['connections', 'credentials', 'audit_events'].map(count));
    const eventsBefore = (await events()).length;
    const result = await action();
    expect(await Promise.all(['connections', 'credentials', 'audit_events'].map(count))).toEqual(before);
    expect((await events()).length).toBe(eventsBefore);
    return result;
  }

  it('refuses a replayed state', async () => {
    const callback = await begin('google', 't-replay');
    expect((await completeConnect(h.deps, callback.callback())).kind).toBe('connected');
    expect(await nothingChanged(() => completeConnect(h.deps, callback.callback()))).toEqual({
      kind: 'invalid_state',
    });
  });

  it('refuses an unknown state, a missing state and a state used for another provider', async () => {
    const callback = await begin('google', 't-bad');
    const browser = callback.callback();
    await nothingChanged(async () => {
      expect(await completeConnect(h.deps, { ...browser, state: 'A'.repeat(43) })).toEqual({
        kind: 'invalid_state',
      });
      expect(await completeConnect(h.deps, { ...browser, state: undefined })).toEqual({
        kind: 'invalid_state',
      });
      expect(await completeConnect(h.deps, { ...browser, provider: 'hubspot' })).toEqual({
        kind: 'invalid_state',
        flowId: callback.flowId,
      });
    });
  });

  it('reports a consent the user declined', async () => {
    h.sandbox.control.setAuthorize('google', { denyNext: 1 });
    const callback = await begin('google', 't-deny');
    expect(callback.params.get('error')).toBe('access_denied');
    const outcome = await nothingChanged(() => completeConnect(h.deps, callback.callback()));
    expect(outcome).toEqual({
      kind: 'failed',
      flowId: callback.flowId,
      redirectUrl: CRM_REDIRECT,
      error: 'access_denied',
      reason: 'access_denied',
    });
  });

  it("refuses a code redeemed with another flow's PKCE verifier", async () => {
    const a = await begin('google', 't-pkce');
    const b = await begin('google', 't-pkce');
    const outcome = await nothingChanged(() =>
      completeConnect(h.deps, { ...b.callback(), code: a.params.get('code')! }),
    );
    expect(outcome).toMatchObject({ kind: 'failed', error: 'provider_error', redirectUrl: CRM_REDIRECT });
  });

  it('reports a failing provider token endpoint', async () => {
    const callback = await begin('google', 't-5xx');
    h.sandbox.control.addFault({
      provider: 'google',
      route: 'oauth.token',
      action: { kind: 'status', status: 503 },
      next: 10, // more than any client-side retry
    });
    const outcome = await nothingChanged(() => completeConnect(h.deps, callback.callback()));
    expect(outcome).toMatchObject({ kind: 'failed', error: 'provider_error', reason: 'transient' });
    h.sandbox.control.clearFaults();
  });
});
