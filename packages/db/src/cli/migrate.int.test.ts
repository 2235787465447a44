import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadConfig } from '@crm-sync/config';
import { dropDatabase, withDatabase } from '../admin';

const script = path.join(__dirname, 'migrate.ts');

function run(command: string, databaseUrl: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, command], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

describe('migrate CLI', () => {
  const url = withDatabase(loadConfig().database.url, `crm_sync_test_cli_${randomBytes(6).toString('hex')}`);
  const name = new URL(url).pathname.slice(1);
  afterAll(() => dropDatabase(url));

  it('creates the database, applies, reports nothing pending, reverts each, and has nothing left to revert', () => {
    expect(run('up', url)).toEqual({
      status: 0,
      stdout: `db: database ${name} created
db: applied InitialSchema1764000000000
db: applied RoundSweep1765000000000
db: applied OneOwnerPerAccount1765000000001
db: applied CompletenessAudit1765000000002
db: applied MailContent1765000000003`,
      stderr: '',
    });
    expect(run('up', url).stdout).toBe(`db: database ${name} exists
db: no pending migrations`);
    expect(run('down', url).stdout).toBe('db: reverted MailContent1765000000003');
    expect(run('down', url).stdout).toBe('db: reverted CompletenessAudit1765000000002');
    expect(run('down', url).stdout).toBe('db: reverted OneOwnerPerAccount1765000000001');
    expect(run('down', url).stdout).toBe('db: reverted RoundSweep1765000000000');
    expect(run('down', url).stdout).toBe('db: reverted InitialSchema1764000000000');
    expect(run('down', url).stdout).toBe('db: no migration to revert');
  }, 60_000);

  it('reports an unreachable server in one line, with no password and no stack trace', () => {
    const result = run('up', 'postgres://someone:hunter2@127.0.0.1:1/x');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'db: migrate failed: 127.0.0.1:1/x: connection refused; is PostgreSQL running there? (ECONNREFUSED)',
    );
  });

  it('rejects an unknown command with usage', () => {
    expect(run('sideways', url)).toMatchObject({ status: 64, stderr: 'usage: migrate.ts up|down' });
  });
});
