import { createLocalJWKSet, jwtVerify } from 'jose';
import { QUEUE_NAMES, SYNC_QUEUES } from '@crm-sync/core';
import {
  connectSandboxAccount,
  createConnectionsHarness,
  deletionDeps,
  insertSyncedRows,
  type ConnectionsHarness,
} from '../../test';
import { DataKeys, DataKeyShreddedError, openRow, sealRow } from '@crm-sync/vault';
import { receiptKeySet, RECEIPT_TYPE } from './receipt';
import { recordDeletionRequest } from './requests';
import { runDeletion } from './runDeletion';
import type { DeletionDeps } from './types';

let h: ConnectionsHarness;
let deps: DeletionDeps;
beforeAll(async () => {
  h = await createConnectionsHarness();
  deps = deletionDeps(h);
});
afterAll(() => h.close());

const count = async (sql: string, params: unknown[]) =>
  ((await h.db.dataSource.query(sql, params)) as Array<{ n: number }>)[0]!.n;

const request = async (id: string, crmUserId: string | null, tenantId = 't1') => {
  const stored = await recordDeletionRequest(h.db.dataSource, {
    id,
    tenantId,
    crmUserId,
    requestedBy: 'service:crm',
  });
  if (stored === 'conflict') throw new Error('conflict');
  return stored;
};

/** Verifies a receipt with nothing but the published key set, as a third party would. */
const verify = async (jws: string) =>
  (
    await jwtVerify(jws, createLocalJWKSet(await receiptKeySet(deps.signing)), {
      issuer: deps.signing.issuer,
      typ: RECEIPT_TYPE,
      algorithms: ['EdDSA'],
    })
  ).payload;

describe('runDeletion for a user', () => {
  it('revokes, deletes tokens, rows, states and queued jobs, erases the account and signs a receipt', async () => {
    const a = await connectSandboxAccount(h, {
      provider: 'google',
      email: 'leaver-a@example.com',
      crmUserId: 'leaver',
    });
    const b = await connectSandboxAccount(h, {
      provider: 'hubspot',
      email: 'leaver-b@example.com',
      crmUserId: 'leaver',
    });
    const other = await connectSandboxAccount(h, {
      provider: 'google',
      email: 'stays@example.com',
      crmUserId: 'stayer',
    });
    for (const c of [a, b, other]) await insertSyncedRows(h, c.connectionId, 20);
    await h.deps.producer.enqueue(
      SYNC_QUEUES.google,
      'mail',
      { connectionId: a.connectionId, resource: 'mail' },
      { dedupeId: `${a.connectionId}.mail`, delayMs: 60_000 },
    );
    const tokens = (await h.deps.credentials.load(a.connectionId))!.tokens;

    const req = await request('00000000-0000-4000-8000-000000000001', 'leaver');
    const done = await runDeletion(deps, req.id);

    expect(done).toMatchObject({ status: 'completed', step: 'done', unreadableAt: expect.any(Date) });
    expect(
      await count(`SELECT count(*)::int AS n FROM data_keys WHERE connection_id = ANY($1::uuid[])`, [
        [a.connectionId, b.connectionId],
      ]),
    ).toBe(0);
    expect([...done.connectionIds].sort()).toEqual([a.connectionId, b.connectionId].sort());
    for (const id of [a.connectionId, b.connectionId]) {
      expect(await h.deps.credentials.load(id)).toBeNull();
      for (const table of [
        'emails',
        'calendar_events',
        'contacts',
        'tasks',
        'crm_objects',
        'email_attachments',
        'sync_quarantine',
        'sync_states',
      ]) {
        expect(await count(`SELECT count(*)::int AS n FROM ${table} WHERE connection_id = $1`, [id])).toBe(0);
      }
    }
    expect(
      await count(`SELECT count(*)::int AS n FROM emails WHERE connection_id = $1`, [other.connectionId]),
    ).toBe(20);
    expect(await h.deps.credentials.load(other.connectionId)).not.toBeNull();
    expect(
      await h.db.dataSource.query(
        `SELECT status, email, provider_account_id, data_purged_at IS NOT NULL AS purged FROM connections WHERE crm_user_id = 'leaver'`,
      ),
    ).toEqual([
      { status: 'disconnected', email: null, provider_account_id: null, purged: true },
      { status: 'disconnected', email: null, provider_account_id: null, purged: true },
    ]);
    expect(await h.deps.producer.queue(QUEUE_NAMES.google).getDelayedCount()).toBe(0);

    const claims = await verify(done.receipt!);
    expect(claims).toMatchObject({
      sub: req.id,
      deletionRequestId: req.id,
      tenantId: 't1',
      crmUserId: 'leaver',
      unreadableAt: done.unreadableAt!.toISOString(),
      jobsRemoved: 1,
      deleted: {
        credentials: 2,
        emails: 40,
        calendar_events: 40,
        contacts: 40,
        tasks: 40,
        drive_files: 40,
        crm_objects: 40,
        email_attachments: 2,
        sync_quarantine: 2,
        sync_states: 9,
      },
    });
    expect(claims.connections).toEqual(
      expect.arrayContaining([
        { id: a.connectionId, provider: 'google', revocation: 'revoked' },
        { id: b.connectionId, provider: 'hubspot', revocation: expect.any(String) },
      ]),
    );
    const log = await h.db.dataSource.query(
      `SELECT type FROM audit_events WHERE connection_id = $1 ORDER BY id`,
      [a.connectionId],
    );
    expect(log.map((r: { type: string }) => r.type)).toEqual([
      'connected',
      'purge_requested',
      'disconnected',
      'purge_completed',
    ]);
    // The provider no longer honours the grant.
    const userinfo = await fetch(`${h.sandbox.urls.google}/oauth2/v2/userinfo`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(userinfo.status).toBe(401);

    // Running it again changes nothing and keeps the receipt.
    expect((await runDeletion(deps, req.id)).receipt).toBe(done.receipt);
  });

  it('refuses a receipt altered after signing or checked against another key set', async () => {
    await connectSandboxAccount(h, { provider: 'google', email: 'tamper@example.com', crmUserId: 'tamper' });
    const done = await runDeletion(
      deps,
      (await request('00000000-0000-4000-8000-000000000002', 'tamper')).id,
    );
    const [header, payload, signature] = done.receipt!.split('.');
    const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    forged.deleted.emails = 999;
    await expect(
      verify(`${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`),
    ).rejects.toThrow(/signature verification failed/);
    const otherKeys = deletionDeps(h).signing;
    await expect(
      jwtVerify(done.receipt!, createLocalJWKSet(await receiptKeySet(otherKeys))),
    ).rejects.toThrow();
  });

  it("hands the request's connections to the shred step and records when it ran in the receipt", async () => {
    const { connectionId } = await connectSandboxAccount(h, {
      provider: 'google',
      email: 'shred@example.com',
      crmUserId: 'shred',
    });
    const shredded: string[][] = [];
    const withShred = { ...deps, shred: async (_m: unknown, ids: string[]) => void shredded.push(ids) };
    const done = await runDeletion(
      withShred,
      (await request('00000000-0000-4000-8000-000000000003', 'shred')).id,
    );
    expect(shredded).toEqual([[connectionId]]);
    expect(done.unreadableAt).toBeInstanceOf(Date);
    expect((await verify(done.receipt!)).unreadableAt).toBe(done.unreadableAt!.toISOString());
  });

  it("shreds the connections' data keys first: their sealed rows never open again, another connection's do", async () => {
    const leaver = await connectSandboxAccount(h, {
      provider: 'google',
      email: 'shredded-leaver@example.com',
      crmUserId: 'shredded',
    });
    const stays = await connectSandboxAccount(h, {
      provider: 'google',
      email: 'stays-after-shred@example.com',
      crmUserId: 'stays',
    });
    const address = (connectionId: string) => ({ table: 'emails', rowKey: [`m-${connectionId}`] });
    // What a backup taken before the deletion holds: each connection's sealed row.
    const backup = new Map<string, Buffer>();
    for (const { connectionId } of [leaver, stays]) {
      const key = await h.deps.content.dataKeys.forWrite(connectionId);
      const sealed = sealRow(key, address(connectionId), { subject: `mail of ${connectionId}` });
      await h.db.dataSource.query(
        `INSERT INTO emails (connection_id, external_id, content_hash, sealed) VALUES ($1, $2, 'h', $3)`,
        [connectionId, `m-${connectionId}`, sealed],
      );
      backup.set(connectionId, sealed);
    }
    const done = await runDeletion(
      deps,
      (await request('00000000-0000-4000-8000-000000000006', 'shredded')).id,
    );
    expect(done.unreadableAt).toBeInstanceOf(Date);
    expect(done.unreadableAt!.getTime()).toBeLessThanOrEqual(done.completedAt!.getTime());
    expect(
      await count(`SELECT count(*)::int AS n FROM emails WHERE connection_id = $1`, [leaver.connectionId]),
    ).toBe(0);

    // This process and another one (no cached key) alike: the key is gone.
    const fresh = new DataKeys({ db: h.db.dataSource, keyRing: h.keyRing, cacheTtlMs: 60_000 });
    for (const keys of [h.deps.content.dataKeys, fresh])
      await expect(keys.forRead(leaver.connectionId)).rejects.toThrow(DataKeyShreddedError);
    const other = await fresh.forRead(stays.connectionId);
    expect(openRow(other, address(stays.connectionId), backup.get(stays.connectionId)!)).toEqual({
      subject: `mail of ${stays.connectionId}`,
    });
  });

  it('refuses to reuse a request id for another subject', async () => {
    await request('00000000-0000-4000-8000-000000000004', 'someone');
    expect(
      await recordDeletionRequest(h.db.dataSource, {
        id: '00000000-0000-4000-8000-000000000004',
        tenantId: 't1',
        crmUserId: 'someone-else',
        requestedBy: 'service:crm',
      }),
    ).toBe('conflict');
  });
});

describe('runDeletion for a tenant', () => {
  it("purges every connection of the tenant and its settings, and no other tenant's", async () => {
    const a = await connectSandboxAccount(h, {
      provider: 'microsoft',
      email: 'ten-a@example.com',
      tenantId: 'gone',
    });
    const b = await connectSandboxAccount(h, {
      provider: 'google',
      email: 'ten-b@example.com',
      tenantId: 'gone',
      crmUserId: 'x',
    });
    const kept = await connectSandboxAccount(h, {
      provider: 'google',
      email: 'ten-c@example.com',
      tenantId: 'kept',
    });
    for (const c of [a, b, kept]) await insertSyncedRows(h, c.connectionId, 3);
    await h.db.dataSource.query(
      `INSERT INTO tenant_settings (tenant_id, retention_days) VALUES ('gone', 5), ('kept', 5)`,
    );
    const done = await runDeletion(
      deps,
      (await request('00000000-0000-4000-8000-000000000005', null, 'gone')).id,
    );
    expect(done.connectionIds).toHaveLength(2);
    expect(await verify(done.receipt!)).toMatchObject({
      tenantId: 'gone',
      crmUserId: null,
      deleted: { emails: 6 },
    });
    expect(await count(`SELECT count(*)::int AS n FROM tenant_settings`, [])).toBe(1);
    expect(
      await count(`SELECT count(*)::int AS n FROM emails WHERE connection_id = $1`, [kept.connectionId]),
    ).toBe(3);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM connections WHERE tenant_id = 'gone' AND email IS NOT NULL`,
        [],
      ),
    ).toBe(0);
  });
});
