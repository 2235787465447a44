import { PROVIDERS, RESOURCES_BY_PROVIDER, type Provider } from '@crm-sync/core';
import { QUEUE_NAMES } from '@crm-sync/queue';
import { completeConnect } from './completeConnect';
import { startConnect } from './startConnect';
import { createConnectionsHarness, type ConnectionsHarness } from '../test';

let h: ConnectionsHarness;
const CONNECTABLE: Provider[] = ['google', 'microsoft', 'hubspot'];
const CRM_REDIRECT = 'https://crm.example.com/integrations/done';

beforeAll(async () => {
  h = await createConnectionsHarness();
  for (const provider of PROVIDERS) {
    h.sandbox.control.createAccount({ provider, email: `ada-${provider}@example.com` });
  }
});
afterAll(() => h.close());

/** Plays the browser at the provider: follows the consent URL and returns the callback's query. */
async function consent(url: string, provider: Provider): Promise<URLSearchParams> {
  const send = provider === 'microsoft' ? h.trustingFetch : fetch;
  const response = await send(url, { redirect: 'manual' });
  await response.body?.cancel();
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location')!).searchParams;
}

async function begin(provider: Provider, tenantId = 't1') {
  const { authorizationUrl } = await startConnect(h.deps, {
    provider,
    tenantId,
    crmUserId: 'u1',
    resources: [...RESOURCES_BY_PROVIDER[provider]],
    redirectUrl: CRM_REDIRECT,
    loginHint: `ada-${provider}@example.com`,
  });
  return consent(authorizationUrl, provider);
}

const count = async (table: string) =>
  Number((await h.db.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

const events = () => h.deps.producer.queue(QUEUE_NAMES.connectionEvents).getJobs(['waiting']);

describe.each(CONNECTABLE)('%s connect flow', (provider) => {
  it('stores a sealed credential, due sync states and an audit event, and announces the connection', async () => {
    const callback = await begin(provider);
    const outcome = await completeConnect(h.deps, {
      provider,
      state: callback.get('state')!,
      code: callback.get('code')!,
    });
    expect(outcome).toMatchObject({ kind: 'connected', reconnected: false, redirectUrl: CRM_REDIRECT });
    if (outcome.kind !== 'connected') throw new Error('not connected');

    const [connection] = await h.db.dataSource.query(`SELECT * FROM connections WHERE id = $1`, [
      outcome.connectionId,
    ]);
    expect(connection).toMatchObject({
      provider,
      tenant_id: 't1',
      status: 'active',
      email: `ada-${provider}@example.com`,
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
    const a = await completeConnect(h.deps, {
      provider,
      state: first.get('state')!,
      code: first.get('code')!,
    });
    if (a.kind !== 'connected') throw new Error('not connected');
    await h.db.dataSource.query(`UPDATE connections SET status = 'needs_reauth' WHERE id = $1`, [
      a.connectionId,
    ]);
    const second = await begin(provider, 't-re');
    const b = await completeConnect(h.deps, {
      provider,
      state: second.get('state')!,
      code: second.get('code')!,
    });
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
    const outcome = await completeConnect(h.deps, {
      provider: 'google',
      state: callback.get('state')!,
      code: callback.get('code')!,
    });
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
      { resource: 'mail', enabled: true, status: 'idle', disabled_reason: null },
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
    const params = {
      provider: 'google' as const,
      state: callback.get('state')!,
      code: callback.get('code')!,
    };
    expect((await completeConnect(h.deps, params)).kind).toBe('connected');
    expect(await nothingChanged(() => completeConnect(h.deps, params))).toEqual({ kind: 'invalid_state' });
  });

  it('refuses an unknown state, a missing state and a state used for another provider', async () => {
    const callback = await begin('google', 't-bad');
    await nothingChanged(async () => {
      expect(await completeConnect(h.deps, { provider: 'google', state: 'A'.repeat(43), code: 'x' })).toEqual(
        {
          kind: 'invalid_state',
        },
      );
      expect(await completeConnect(h.deps, { provider: 'google', code: 'x' })).toEqual({
        kind: 'invalid_state',
      });
      expect(
        await completeConnect(h.deps, { provider: 'hubspot', state: callback.get('state')!, code: 'x' }),
      ).toEqual({ kind: 'invalid_state' });
    });
  });

  it('reports a consent the user declined', async () => {
    h.sandbox.control.setAuthorize('google', { denyNext: 1 });
    const callback = await begin('google', 't-deny');
    expect(callback.get('error')).toBe('access_denied');
    const outcome = await nothingChanged(() =>
      completeConnect(h.deps, { provider: 'google', state: callback.get('state')!, error: 'access_denied' }),
    );
    expect(outcome).toEqual({ kind: 'denied', redirectUrl: CRM_REDIRECT, error: 'access_denied' });
  });

  it("refuses a code redeemed with another flow's PKCE verifier", async () => {
    const a = await begin('google', 't-pkce');
    const b = await begin('google', 't-pkce');
    const outcome = await nothingChanged(() =>
      completeConnect(h.deps, { provider: 'google', state: b.get('state')!, code: a.get('code')! }),
    );
    expect(outcome).toMatchObject({ kind: 'provider_failed', redirectUrl: CRM_REDIRECT });
  });

  it('reports a failing provider token endpoint', async () => {
    const callback = await begin('google', 't-5xx');
    h.sandbox.control.addFault({
      provider: 'google',
      route: 'oauth.token',
      action: { kind: 'status', status: 503 },
      next: 10, // more than any client-side retry
    });
    const outcome = await nothingChanged(() =>
      completeConnect(h.deps, {
        provider: 'google',
        state: callback.get('state')!,
        code: callback.get('code')!,
      }),
    );
    expect(outcome).toMatchObject({ kind: 'provider_failed', reason: 'transient' });
    h.sandbox.control.clearFaults();
  });
});
