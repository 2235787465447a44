import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, watchOutput } from './appProcess';
import { freePort } from './freePort';
import { requireCommand } from './tlsRedis';

export interface OwnRedisServer {
  /** `redis://127.0.0.1:<port>`; the same after a restart. */
  url: string;
  port: number;
  /** Stops the server (nothing is persisted: what it held is gone, as after a crash). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
}

/**
 * A plain `redis-server` of the test's own on a free port, for tests that take Redis away and bring it back
 * (the shared one on 6379 serves every other test file and must never be stopped).
 */
export async function startOwnRedis(): Promise<OwnRedisServer> {
  requireCommand('redis-server', ['--version']);
  const port = await freePort();
  let child: ReturnType<typeof spawn> | undefined;
  const launch = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crm-sync-redis-'));
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const started = spawn('redis-server', [...args, '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    started.once('exit', () => void rm(dir, { recursive: true, force: true }));
    try {
      await watchOutput(started).until('Ready to accept connections', 'redis-server', 15_000);
    } catch (error) {
      started.kill('SIGKILL');
      throw error;
    }
    child = started;
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    running.kill('SIGTERM');
    await exited(running);
  };
  await launch();
  return { url: `redis://127.0.0.1:${port}`, port, stop, restart: launch };
}
