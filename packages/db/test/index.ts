import { randomBytes } from 'node:crypto';
import { loadConfig } from '@crm-sync/config';
import { type DataSource } from 'typeorm';
import { dropDatabase, ensureDatabase, withDatabase } from '../src/admin';
import { createDataSource } from '../src/dataSource';
import { type EmailInput } from '../src/upsert/specs';

export interface TestDatabase {
  url: string;
  /** Initialized; `drop()` destroys it. */
  dataSource: DataSource;
  /** Closes the DataSource and drops the database, even while other sessions are still connected. */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Any database on the server to use; defaults to DATABASE_URL through @crm-sync/config. */
  serverUrl?: string;
  /** Run crm-sync's migrations (default true); tests of the migrations themselves start empty. */
  migrate?: boolean;
}

/** A fresh database `crm_sync_test_<random>` on the configured server, for one test file. */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = options.serverUrl ?? loadConfig().database.url;
  const url = withDatabase(serverUrl, `crm_sync_test_${randomBytes(6).toString('hex')}`);
  await ensureDatabase(url);
  const dataSource = createDataSource({ url, poolSize: 4, applicationName: 'crm-sync-test' });
  const drop = async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await dropDatabase(url);
  };
  try {
    await dataSource.initialize();
    if (options.migrate ?? true) await dataSource.runMigrations();
  } catch (error) {
    await drop();
    throw error;
  }
  return { url, dataSource, drop };
}

/** A bare connection row for tests of the tables that reference one; returns its id. */
export async function insertTestConnection(
  dataSource: DataSource,
  providerAccountId = 'acct',
): Promise<string> {
  const [row] = (await dataSource.query(
    `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id)
     VALUES ('t1', 'u1', 'google', $1) RETURNING id`,
    [providerAccountId],
  )) as Array<{ id: string }>;
  return row!.id;
}

/**
 * An `emails` row of a connection, its content an opaque stand-in for a sealed value (the db package does not
 * seal; the sync engine does, with packages/vault), for tests that care about a few columns.
 */
export function testEmailInput(
  connectionId: string,
  externalId: string,
  overrides: Partial<EmailInput> = {},
): EmailInput {
  return {
    connectionId,
    externalId,
    contentHash: `h-${externalId}`,
    seenRound: null,
    sealed: Buffer.from(`sealed-${externalId}`),
    blindIndex: [],
    threadId: null,
    sentAt: null,
    labels: [],
    bodyTruncated: false,
    messageTerms: [],
    direction: 'received',
    ...overrides,
  };
}
