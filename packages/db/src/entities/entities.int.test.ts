import { createTestDatabase, type TestDatabase } from '@crm-sync/db/testing';
import {
  AuditEventEntity,
  ConnectionEntity,
  CredentialEntity,
  CrmObjectEntity,
  EmailEntity,
  SyncStateEntity,
} from './index';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const newConnection = (providerAccountId: string) =>
  db.dataSource.getRepository(ConnectionEntity).save({
    tenantId: 't1',
    crmUserId: 'u1',
    provider: 'google',
    providerAccountId,
    email: 'a@example.com',
    requestedScopes: ['openid', 'gmail.readonly'],
    grantedScopes: ['openid'],
    resources: ['mail', 'calendar'],
  });

describe('entity schemas match the migrated tables', () => {
  it('round-trips a connection with database defaults filled in', async () => {
    const saved = await newConnection('acct-1');
    const loaded = await db.dataSource.getRepository(ConnectionEntity).findOneByOrFail({ id: saved.id });
    expect(loaded).toMatchObject({
      provider: 'google',
      status: 'active',
      statusReason: null,
      requestedScopes: ['openid', 'gmail.readonly'],
      resources: ['mail', 'calendar'],
      disconnectedAt: null,
    });
    expect(loaded.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(loaded.authenticatedAt).toBeInstanceOf(Date);
  });

  it('rejects a provider outside the CHECK list', async () => {
    await expect(
      db.dataSource.query(
        `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id) VALUES ('t','u','yahoo','x')`,
      ),
    ).rejects.toThrow(/connections_provider_check/);
  });

  it('round-trips credentials (bytea), sync state (jsonb, bigint) and audit details', async () => {
    const { id } = await newConnection('acct-2');
    const sealed = Buffer.from([0, 1, 2, 255]);
    await db.dataSource.getRepository(CredentialEntity).save({ connectionId: id, keyId: 'k1', sealed });
    const credential = await db.dataSource
      .getRepository(CredentialEntity)
      .findOneByOrFail({ connectionId: id });
    expect(credential).toMatchObject({ keyId: 'k1', sealed, version: 1, expiresAt: null });

    const states = db.dataSource.getRepository(SyncStateEntity);
    await states.save({
      connectionId: id,
      resource: 'mail',
      continuation: { pageToken: 'p2', window: [1, 2] },
      itemsDone: 12345,
      counters: { pages: 3 },
    });
    expect(await states.findOneByOrFail({ connectionId: id, resource: 'mail' })).toMatchObject({
      enabled: true,
      mode: 'full',
      status: 'idle',
      continuation: { pageToken: 'p2', window: [1, 2] },
      itemsDone: 12345,
      counters: { pages: 3 },
    });

    const audit = db.dataSource.getRepository(AuditEventEntity);
    const event = await audit.save({
      connectionId: id,
      tenantId: 't1',
      type: 'connected',
      actor: 'u1',
      details: {},
    });
    expect(event.id).toMatch(/^\d+$/);
    expect((await audit.findOneByOrFail({ id: event.id })).details).toEqual({});
  });

  it('deleting a connection removes its rows but keeps its audit trail', async () => {
    const { id } = await newConnection('acct-3');
    await db.dataSource
      .getRepository(CredentialEntity)
      .save({ connectionId: id, keyId: 'k', sealed: Buffer.from('x') });
    await db.dataSource
      .getRepository(EmailEntity)
      .save({ connectionId: id, externalId: 'm1', contentHash: 'h' });
    await db.dataSource.getRepository(CrmObjectEntity).save({
      connectionId: id,
      externalId: '1',
      contentHash: 'h',
      objectType: 'deals',
      properties: { a: 1 },
    });
    const event = await db.dataSource
      .getRepository(AuditEventEntity)
      .save({ connectionId: id, tenantId: 't1', type: 'disconnected', actor: 'system', details: {} });

    await db.dataSource.getRepository(ConnectionEntity).delete({ id });

    expect(await db.dataSource.getRepository(CredentialEntity).countBy({ connectionId: id })).toBe(0);
    expect(await db.dataSource.getRepository(EmailEntity).countBy({ connectionId: id })).toBe(0);
    expect(await db.dataSource.getRepository(CrmObjectEntity).countBy({ connectionId: id })).toBe(0);
    const kept = await db.dataSource.getRepository(AuditEventEntity).findOneByOrFail({ id: event.id });
    expect(kept.connectionId).toBeNull();
  });
});
