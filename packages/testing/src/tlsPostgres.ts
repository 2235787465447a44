import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './freePort';
import type { TlsMaterial } from '@crm-sync/provider-sandbox';
import { requireCommand } from './tlsRedis';

const run = promisify(execFile);

export interface TlsPostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`, without TLS parameters (the caller chooses them). */
  url: string;
  /** Stops the cluster and deletes its directory. */
  stop(): Promise<void>;
}

/** The server runs as the `postgres` account: initdb and postgres refuse to run as root. */
async function postgresAccount(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
  return { uid: await id('-u'), gid: await id('-g') };
}

/**
 * A PostgreSQL cluster of its own (initdb into a temporary directory) that accepts only TLS connections from
 * 127.0.0.1, trusting them without a password (`hostssl` in pg_hba.conf,
 * https://www.postgresql.org/docs/15/auth-pg-hba-conf.html), presenting `tls`. Everything started is undone if
 * the start fails.
 */
export async function startTlsPostgres(
  tls: TlsMaterial,
  options: { parentDir?: string } = {},
): Promise<TlsPostgresServer> {
  const bin = requireCommand('pg_config', ['--bindir']);
  const account = await postgresAccount();
  const asPostgres = (program: string, args: string[]) =>
    account
      ? run('runuser', ['-u', 'postgres', '--', join(bin, program), ...args])
      : run(join(bin, program), args);
  const dir = await mkdtemp(join(options.parentDir ?? tmpdir(), 'crm-sync-tls-postgres-'));
  const data = join(dir, 'data');
  let started = false;
  const stop = async () => {
    try {
      if (started) await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      // Also after a failed start, when pg_ctl has no server to stop.
      await rm(dir, { recursive: true, force: true });
    }
  };
  try {
    if (account) await chown(dir, account.uid, account.gid);
    await asPostgres('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
      '--no-instructions',
    ]);
    await writeFile(join(data, 'pg_hba.conf'), 'hostssl all all 127.0.0.1/32 trust\n');
    // PostgreSQL refuses a key file others can read, and must own it.
    await writeFile(join(data, 'server.crt'), tls.cert);
    await writeFile(join(data, 'server.key'), tls.key, { mode: 0o600 });
    if (account) {
      for (const file of ['pg_hba.conf', 'server.crt', 'server.key']) {
        await chown(join(data, file), account.uid, account.gid);
      }
    }
    const port = await freePort();
    const options = [
      `-p ${port}`,
      '-c listen_addresses=127.0.0.1',
      `-k ${dir}`,
      '-c ssl=on',
      '-c ssl_cert_file=server.crt',
      '-c ssl_key_file=server.key',
      '-c fsync=off',
    ].join(' ');
    started = true;
    // `-w` returns once the server accepts connections (https://www.postgresql.org/docs/15/app-pg-ctl.html).
    await asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', 'start']);
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
