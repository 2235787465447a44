import { loadConfig } from '@crm-sync/config';
import { withDatabase } from '@crm-sync/db';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from './index';

const databaseExists = async (url: string) => {
  const admin = new Client({ connectionString: withDatabase(loadConfig().database.url, 'postgres') });
  await admin.connect();
  try {
    const name = new URL(url).pathname.slice(1);
    const result = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return result.rowCount === 1;
  } finally {
    await admin.end();
  }
};

describe('createTestDatabase', () => {
  let a: TestDatabase;
  let b: TestDatabase;
  beforeAll(async () => {
    [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(() => Promise.all([a, b].map((db) => db.drop())));

  it('gives each caller its own migrated database', async () => {
    expect(new URL(a.url).pathname).toMatch(/^\/crm_sync_test_[0-9a-f]{12}$/);
    expect(a.url).not.toBe(b.url);
    const insert = `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id)
                    VALUES ('t', 'u', 'hubspot', 'portal-1')`;
    await a.dataSource.query(insert);
    expect(await a.dataSource.query('SELECT count(*)::int AS n FROM connections')).toEqual([{ n: 1 }]);
    expect(await b.dataSource.query('SELECT count(*)::int AS n FROM connections')).toEqual([{ n: 0 }]);
  });

  it('drop() removes the database even while another session is connected to it', async () => {
    const db = await createTestDatabase();
    const straggler = new Client({ connectionString: db.url });
    straggler.on('error', () => undefined); // the forced drop terminates it
    await straggler.connect();
    expect(await databaseExists(db.url)).toBe(true);

    await db.drop();

    expect(db.dataSource.isInitialized).toBe(false);
    expect(await databaseExists(db.url)).toBe(false);
    await straggler.end().catch(() => undefined);
  });
});
