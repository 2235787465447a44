import { loadConfigOrExit, type TlsTrust } from '@crm-sync/config';
import { type DataSource } from 'typeorm';
import { databaseNameOf, ensureDatabase } from '../admin';
import { createDataSource, MIGRATIONS_TABLE } from '../dataSource';
import { describeFailure } from './describeFailure';

// `tsx packages/db/src/cli/migrate.ts up|down`: the root's db:migrate and db:revert scripts.

async function up(dataSource: DataSource, url: string, tls: TlsTrust | undefined): Promise<void> {
  const outcome = await ensureDatabase(url, tls);
  console.log(`db: database ${databaseNameOf(url)} ${outcome === 'created' ? 'created' : 'exists'}`);
  await dataSource.initialize();
  const applied = await dataSource.runMigrations();
  for (const migration of applied) console.log(`db: applied ${migration.name}`);
  if (applied.length === 0) console.log('db: no pending migrations');
}

async function lastApplied(dataSource: DataSource): Promise<string | undefined> {
  const [table] = (await dataSource.query('SELECT to_regclass($1) AS found', [MIGRATIONS_TABLE])) as {
    found: string | null;
  }[];
  if (!table?.found) return undefined;
  const [last] = (await dataSource.query(
    `SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY timestamp DESC, id DESC LIMIT 1`,
  )) as { name: string }[];
  return last?.name;
}

async function down(dataSource: DataSource): Promise<void> {
  await dataSource.initialize();
  const last = await lastApplied(dataSource);
  if (!last) {
    console.log('db: no migration to revert');
    return;
  }
  await dataSource.undoLastMigration();
  console.log(`db: reverted ${last}`);
}

async function main(command: string | undefined): Promise<number> {
  if (command !== 'up' && command !== 'down') {
    console.error('usage: migrate.ts up|down');
    return 64; // EX_USAGE
  }
  const { url, tls } = loadConfigOrExit('migrate').database;
  const dataSource = createDataSource({ url, tls, poolSize: 1, applicationName: 'crm-sync-migrate' });
  try {
    await (command === 'up' ? up(dataSource, url, tls) : down(dataSource));
    return 0;
  } catch (error) {
    console.error(`db: ${command === 'up' ? 'migrate' : 'revert'} failed: ${describeFailure(error, url)}`);
    return 1;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

void main(process.argv[2]).then((code) => {
  process.exitCode = code;
});
