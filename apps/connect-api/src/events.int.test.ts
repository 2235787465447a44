import { QUEUE_NAMES } from '@crm-sync/queue';
import { randomUUID } from 'node:crypto';
import { startApp, T1_ONLY_SECRET, type AppHarness } from '../test/appHarness';
import { seedConnection } from '../test/seed';

let h: AppHarness;
let t1Connection: string;
let t2Connection: string;
beforeAll(async () => {
  h = await startApp();
  t1Connection = await seedConnection(h.db.dataSource, { tenantId: 't1' });
  t2Connection = await seedConnection(h.db.dataSource, { tenantId: 't2' });
});
afterAll(() => h.close());
beforeEach(() => h.db.dataSource.query('DELETE FROM outbox'));

const outbox = async () =>
  (await h.db.dataSource.query(`SELECT job_id, payload FROM outbox ORDER BY id`)) as Array<{
    job_id: string;
    payload: { type: string };
  }>;
const event = (fields: Record<string, unknown> & { type: string }) => ({
  eventId: randomUUID(),
  occurredAt: '2026-12-02T09:30:00+01:00',
  tenantId: 't1',
  ...fields,
});
const post = (body: unknown, secret?: string) =>
  h.api('/v1/events', { method: 'POST', json: body, ...(secret && { secret }) });

describe('POST /v1/events', () => {
  it('records a valid event with its own id, and the relay puts it on connection-events', async () => {
    const sent = event({
      type: 'sync.requested',
      connectionId: t1Connection,
      resources: ['mail'],
      full: true,
    });
    const response = await post(sent);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ eventId: sent.eventId });
    await h.relay();
    const job = await h.deps.producer.queue(QUEUE_NAMES.connectionEvents).getJob(sent.eventId);
    expect(job?.name).toBe('sync.requested');
    expect(job?.data).toEqual(sent);
  });

  it('accepts every event type of the contract', async () => {
    const events = [
      event({
        type: 'connection.connected',
        connectionId: t1Connection,
        provider: 'google',
        reconnected: false,
      }),
      event({ type: 'connection.disconnect_requested', connectionId: t1Connection, purge: false }),
      event({ type: 'user.deleted', crmUserId: 'u1' }),
      event({ type: 'token.revoked', connectionId: t1Connection, source: 'user' }),
      event({ type: 'sync.requested', connectionId: t1Connection }),
    ];
    for (const sent of events) expect((await post(sent)).status).toBe(202);
    expect((await outbox()).map((r) => r.payload.type)).toEqual(events.map((e) => e.type));
    // The schema's default is filled in, as the queue's consumer would.
    expect((await outbox())[4]!.payload).toMatchObject({ full: false });
  });

  it('records a resent event once', async () => {
    const sent = event({ type: 'user.deleted', crmUserId: 'u7' });
    expect((await post(sent)).status).toBe(202);
    expect((await post(sent)).status).toBe(202);
    expect((await outbox()).map((r) => r.job_id)).toEqual([sent.eventId]);
  });

  it('refuses a connection of another tenant with 404 and records nothing', async () => {
    const response = await post(event({ type: 'token.revoked', connectionId: t2Connection, source: 'user' }));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'not_found' });
    expect(await outbox()).toEqual([]);
  });

  it('refuses a tenant the service was not granted, and a caller without a service token', async () => {
    const forT2 = event({ type: 'user.deleted', tenantId: 't2', crmUserId: 'u1' });
    const forbidden = await post(forT2, T1_ONLY_SECRET);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ code: 'forbidden_tenant' });
    const anonymous = await h.api('/v1/events', { method: 'POST', json: forT2, secret: null });
    expect(anonymous.status).toBe(401);
    expect(await outbox()).toEqual([]);
  });

  it.each([
    ['an unknown type', { type: 'connection.exploded', connectionId: 'x' }],
    ['an extra field', { type: 'user.deleted', crmUserId: 'u1', accessToken: 'ya29.secret' }],
    ['a missing field', { type: 'connection.disconnect_requested', purge: true }],
    ['a control character', { type: 'user.deleted', crmUserId: 'u\u0000' }],
    ['a bad event id', { type: 'user.deleted', crmUserId: 'u1', eventId: 'not-a-uuid' }],
  ])('refuses %s with 400 and records nothing', async (_name, fields) => {
    const response = await post(event(fields));
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(JSON.parse(body)).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(body).not.toContain('ya29');
    expect(await outbox()).toEqual([]);
  });
});
