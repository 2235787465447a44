import { QUEUE_NAMES } from '@crm-sync/queue';
import { startApp, T1_ONLY_SECRET, type AppHarness } from '../test/appHarness';
import { seedConnection } from '../test/seed';

let h: AppHarness;
let t1Google: string;
let t1Hubspot: string;
let t2Google: string;

beforeAll(async () => {
  h = await startApp();
  const db = h.db.dataSource;
  t1Google = await seedConnection(db, { tenantId: 't1', crmUserId: 'alice' });
  t1Hubspot = await seedConnection(db, {
    tenantId: 't1',
    crmUserId: 'bob',
    provider: 'hubspot',
    status: 'needs_reauth',
  });
  t2Google = await seedConnection(db, { tenantId: 't2', crmUserId: 'carol' });
});
afterAll(() => h.close());

const json = async <T>(response: Response) => (await response.json()) as T;
type List = { connections: Array<{ id: string }> };

describe('GET /v1/connections', () => {
  it('lists only the tenant asked for', async () => {
    const list = await json<List>(await h.api('/v1/connections?tenantId=t1'));
    expect(list.connections.map((c) => c.id).sort()).toEqual([t1Google, t1Hubspot].sort());
  });

  it.each([
    ['crmUserId=alice', [() => t1Google]],
    ['provider=hubspot', [() => t1Hubspot]],
    ['status=needs_reauth', [() => t1Hubspot]],
    ['provider=microsoft', []],
  ])('filters by %s', async (filter, expected) => {
    const list = await json<List>(await h.api(`/v1/connections?tenantId=t1&${filter}`));
    expect(list.connections.map((c) => c.id)).toEqual(expected.map((f) => f()));
  });

  it('never includes credentials', async () => {
    const body = await (await h.api('/v1/connections?tenantId=t1')).text();
    expect(body).not.toMatch(/token|sealed|secret/i);
  });

  it.each([
    ['no tenant', '/v1/connections'],
    ['a bad status', '/v1/connections?tenantId=t1&status=sleeping'],
    ['an unknown parameter', '/v1/connections?tenantId=t1&orderBy=id'],
  ])('rejects %s with 400', async (_label, path) => {
    expect((await h.api(path)).status).toBe(400);
  });
});

describe('GET /v1/connections/:id', () => {
  it('shows status, scopes and each resource sync state with its last error', async () => {
    const view = await json<{ sync: Array<{ resource: string; lastError: string | null }> }>(
      await h.api(`/v1/connections/${t1Google}?tenantId=t1`),
    );
    expect(view).toMatchObject({ id: t1Google, status: 'active', crmUserId: 'alice' });
    expect(view.sync).toEqual([
      expect.objectContaining({ resource: 'calendar', lastError: 'quota exceeded' }),
      expect.objectContaining({ resource: 'mail', lastError: null }),
    ]);
  });

  it("shows each resource's last completeness audit, null until one ran", async () => {
    const at = new Date('2026-12-01T10:00:00.000Z');
    await h.db.dataSource.query(
      `UPDATE sync_states SET audit_at = $2, audit_missing = 3, audit_ghosts = 2, audit_repaired = 2,
              full_round_wanted = true
        WHERE connection_id = $1 AND resource = 'mail'`,
      [t1Google, at],
    );
    const view = await json<{ sync: Array<{ resource: string; audit: unknown }> }>(
      await h.api(`/v1/connections/${t1Google}?tenantId=t1`),
    );
    expect(view.sync).toEqual([
      expect.objectContaining({ resource: 'calendar', audit: null }),
      expect.objectContaining({
        resource: 'mail',
        audit: { at: at.toISOString(), missing: 3, ghosts: 2, repaired: 2, fullRoundWanted: true },
      }),
    ]);
  });

  it("answers 404 for another tenant's connection, as for an unknown id", async () => {
    const other = await h.api(`/v1/connections/${t2Google}?tenantId=t1`);
    const unknown = await h.api(`/v1/connections/00000000-0000-4000-8000-000000000000?tenantId=t1`);
    expect([other.status, unknown.status]).toEqual([404, 404]);
    expect(await other.json()).toEqual(await unknown.json());
  });

  it('rejects a malformed id', async () => {
    expect((await h.api('/v1/connections/not-a-uuid?tenantId=t1')).status).toBe(400);
  });
});

describe('DELETE /v1/connections/:id and POST /v1/connections/:id/sync', () => {
  const events = async () => {
    await h.relay();
    return h.deps.producer.queue(QUEUE_NAMES.connectionEvents).getJobs(['waiting']);
  };

  it('emits connection.disconnect_requested with purge and records the purge request', async () => {
    const response = await h.api(`/v1/connections/${t1Google}?tenantId=t1&purge=true`, { method: 'DELETE' });
    expect(response.status).toBe(202);
    const { eventId } = await json<{ eventId: string }>(response);
    const event = (await events()).find((e) => e.data.eventId === eventId);
    expect(event?.data).toMatchObject({
      type: 'connection.disconnect_requested',
      connectionId: t1Google,
      purge: true,
    });
    const audit = await h.db.dataSource.query(
      `SELECT type, actor FROM audit_events WHERE connection_id = $1`,
      [t1Google],
    );
    expect(audit).toEqual([{ type: 'purge_requested', actor: 'service:crm-web' }]);
  });

  it('emits a disconnect without purge by default', async () => {
    const { eventId } = await json<{ eventId: string }>(
      await h.api(`/v1/connections/${t1Hubspot}?tenantId=t1`, { method: 'DELETE' }),
    );
    expect((await events()).find((e) => e.data.eventId === eventId)?.data).toMatchObject({ purge: false });
  });

  it('emits sync.requested with full and resources', async () => {
    const response = await h.api(`/v1/connections/${t1Google}/sync`, {
      method: 'POST',
      json: { tenantId: 't1', full: true, resources: ['mail'] },
    });
    expect(response.status).toBe(202);
    const { eventId } = await json<{ eventId: string }>(response);
    expect((await events()).find((e) => e.data.eventId === eventId)?.data).toMatchObject({
      type: 'sync.requested',
      full: true,
      resources: ['mail'],
    });
  });

  it("refuses other tenants' connections and emits nothing", async () => {
    const before = (await events()).length;
    expect((await h.api(`/v1/connections/${t2Google}?tenantId=t1`, { method: 'DELETE' })).status).toBe(404);
    const sync = await h.api(`/v1/connections/${t2Google}/sync`, {
      method: 'POST',
      json: { tenantId: 't1' },
    });
    expect(sync.status).toBe(404);
    expect((await events()).length).toBe(before);
  });
});

describe('service authentication and tenant scoping', () => {
  it.each([
    ['no token', null],
    ['an unknown token', 'not-a-real-service-token-0000000000'],
  ])('answers 401 to %s on every service route', async (_label, secret) => {
    const calls = [
      h.api('/v1/connections?tenantId=t1', { secret }),
      h.api(`/v1/connections/${t1Google}?tenantId=t1`, { secret }),
      h.api(`/v1/connections/${t1Google}?tenantId=t1`, { method: 'DELETE', secret }),
      h.api(`/v1/connections/${t1Google}/sync`, { method: 'POST', json: { tenantId: 't1' }, secret }),
      h.api('/v1/connect/google', { method: 'POST', json: {}, secret }),
    ];
    for (const response of await Promise.all(calls)) {
      expect(response.status).toBe(401);
      expect((await json<{ code: string }>(response)).code).toBe('unauthorized');
    }
  });

  it('answers 403 when a service acts for a tenant it was not granted', async () => {
    const ok = await h.api('/v1/connections?tenantId=t1', { secret: T1_ONLY_SECRET });
    const denied = await h.api('/v1/connections?tenantId=t2', { secret: T1_ONLY_SECRET });
    const connect = await h.api('/v1/connect/google', {
      method: 'POST',
      secret: T1_ONLY_SECRET,
      json: { tenantId: 't2', crmUserId: 'u', resources: ['mail'], redirectUrl: 'https://crm.example.com/' },
    });
    expect([ok.status, denied.status, connect.status]).toEqual([200, 403, 403]);
  });
});
