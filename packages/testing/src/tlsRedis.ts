import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TlsMaterial } from '@crm-sync/provider-sandbox';
import { exited, watchOutput } from './appProcess';
import { freePort } from './freePort';

export interface TlsRedisServer {
  /** `rediss://127.0.0.1:<port>`. */
  url: string;
  /** Stops the server and deletes its files. */
  stop(): Promise<void>;
}

/**
 * A `redis-server` of its own that speaks only TLS, presenting `tls`. Clients are not asked for certificates
 * (`--tls-auth-clients no`, https://redis.io/docs/latest/operate/oss_and_stack/management/security/encryption/);
 * nothing is persisted. Everything started is undone if the start fails.
 */
export async function startTlsRedis(
  tls: TlsMaterial,
  options: { parentDir?: string } = {},
): Promise<TlsRedisServer> {
  requireCommand('redis-server', ['--version']);
  const dir = await mkdtemp(join(options.parentDir ?? tmpdir(), 'crm-sync-tls-redis-'));
  const cleanupDir = () => rm(dir, { recursive: true, force: true });
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  try {
    await writeFile(cert, tls.cert);
    await writeFile(key, tls.key, { mode: 0o600 });
    const port = await freePort();
    // Redis requires a CA file even when it asks clients for no certificate; its own certificate serves.
    const args = ['--port', '0', '--tls-port', String(port), '--tls-cert-file', cert, '--tls-key-file', key];
    args.push('--tls-ca-cert-file', cert, '--tls-auth-clients', 'no', '--save', '', '--appendonly', 'no');
    args.push('--bind', '127.0.0.1', '--dir', dir);
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited(child);
      await cleanupDir();
    };
    try {
      await watchOutput(child).until('Ready to accept connections', 'redis-server', 15_000);
    } catch (error) {
      child.kill('SIGKILL');
      await stop();
      throw error;
    }
    return { url: `rediss://127.0.0.1:${port}`, stop };
  } catch (error) {
    await cleanupDir();
    throw error;
  }
}

/** Fails with a message naming the missing program (a test never skips itself). */
export function requireCommand(command: string, args: string[]): string {
  const probe = spawnSync(command, args, { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `${command} is needed by this test and could not be run: ${probe.error?.message ?? probe.stderr}`,
    );
  }
  return probe.stdout.trim();
}
