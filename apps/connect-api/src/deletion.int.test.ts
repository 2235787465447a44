import { runDeletion, shredDataKeys } from '@crm-sync/connections';
import { insertSyncedRows } from '@crm-sync/connections/testing';
import { QUEUE_NAMES } from '@crm-sync/queue';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { startApp, T1_ONLY_SECRET, type AppHarness } from '../test/appHarness';
import { seedConnection } from '../test/seed';

let h: AppHarness;
beforeAll(async () => {
  h = await startApp();
});
afterAll(() => h.close());

const json = async <T>(response: Response) => (await response.json()) as T;
type Accepted = { deletionRequestId: string; statusUrl: string };

describe('DELETE /v1/users/{crmUserId}', () => {
  it('records the request, queues it, reports progress and serves a receipt that verifies with the JWKS', async () => {
    const connectionId = await seedConnection(h.db.dataSource, { tenantId: 't1', crmUserId: 'leaver' });
    await insertSyncedRows(h, connectionId, 4);
    const accepted = await h.api('/v1/users/leaver?tenantId=t1', { method: 'DELETE' });
    expect(accepted.status).toBe(202);
    const { deletionRequestId, statusUrl } = await json<Accepted>(accepted);
    const queued = await h.deps.producer.queue(QUEUE_NAMES.connectionEvents).getJobs(['waiting']);
    expect(queued.map((j) => j.data)).toContainEqual(
      expect.objectContaining({ type: 'user.deleted', crmUserId: 'leaver', deletionRequestId }),
    );
    expect(await json(await h.api(statusUrl))).toMatchObject({ status: 'pending', receiptUrl: null });
    const early = await h.api(`/v1/deletion-receipts/${deletionRequestId}?tenantId=t1`);
    expect([early.status, (await json<{ code: string }>(early)).code]).toEqual([409, 'not_completed']);

    // What the worker does with the event.
    await runDeletion(
      { ...h.deps, signing: h.signing, purgeBatchSize: 3, shred: shredDataKeys(h.deps.content.dataKeys) },
      deletionRequestId,
    );

    const status = await json<{ status: string; deleted: Record<string, number>; receiptUrl: string }>(
      await h.api(statusUrl),
    );
    expect(status).toMatchObject({ status: 'completed', deleted: { emails: 4, contacts: 4 } });
    const { receipt, keysUrl } = await json<{ receipt: string; keysUrl: string }>(
      await h.api(status.receiptUrl),
    );
    // A verifier needs nothing but the published keys: no credentials.
    const keys = await fetch(keysUrl);
    expect(keys.headers.get('cache-control')).toBe('public, max-age=3600');
    const { payload } = await jwtVerify(
      receipt,
      createLocalJWKSet(await json<Parameters<typeof createLocalJWKSet>[0]>(keys)),
      {
        issuer: h.baseUrl,
        algorithms: ['EdDSA'],
      },
    );
    expect(payload).toMatchObject({ deletionRequestId, crmUserId: 'leaver', deleted: { emails: 4 } });
  });

  it('is tenant-bound: another tenant neither deletes nor sees', async () => {
    const other = await h.api('/v1/users/x?tenantId=t2', { method: 'DELETE', secret: T1_ONLY_SECRET });
    expect(other.status).toBe(403);
    const tenant = await h.api('/v1/tenants/t2', { method: 'DELETE', secret: T1_ONLY_SECRET });
    expect(tenant.status).toBe(403);
    const { deletionRequestId } = await json<Accepted>(await h.api('/v1/tenants/t2', { method: 'DELETE' }));
    const probe = await h.api(`/v1/deletion-requests/${deletionRequestId}?tenantId=t1`, {
      secret: T1_ONLY_SECRET,
    });
    expect(probe.status).toBe(404);
    expect((await h.api('/v1/users/x?tenantId=t1', { method: 'DELETE', secret: null })).status).toBe(401);
  });
});

describe('retention period', () => {
  it('defaults to 0 days and can be set per tenant within 0–3650', async () => {
    expect(await json(await h.api('/v1/tenants/t3/retention'))).toEqual({ tenantId: 't3', retentionDays: 0 });
    const set = await h.api('/v1/tenants/t3/retention', { method: 'PUT', json: { retentionDays: 30 } });
    expect(await json(set)).toEqual({ tenantId: 't3', retentionDays: 30 });
    expect(await json(await h.api('/v1/tenants/t3/retention'))).toEqual({
      tenantId: 't3',
      retentionDays: 30,
    });
    for (const bad of [{ retentionDays: -1 }, { retentionDays: 3651 }, { retentionDays: 1.5 }, {}]) {
      expect((await h.api('/v1/tenants/t3/retention', { method: 'PUT', json: bad })).status).toBe(400);
    }
    const refused = await h.api('/v1/tenants/t3/retention', {
      method: 'PUT',
      json: { retentionDays: 1 },
      secret: T1_ONLY_SECRET,
    });
    expect(refused.status).toBe(403);
  });
});
