// `npm start`: the whole system on one machine with the provider sandbox as the default provider.
// Migrates the database, starts the sandbox, then connect-api, the scheduler, a worker and the dashboard, each as its own
// process (as in production), with their output prefixed. Ctrl-C or SIGTERM stops them all.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');
const caFile = process.env.SANDBOX_CA_FILE ?? join(tmpdir(), `crm-sync-sandbox-ca-${process.pid}.pem`);
const env = {
  ...process.env,
  SANDBOX_CA_FILE: caFile,
  PROVIDER_MODE: process.env.PROVIDER_MODE ?? 'sandbox',
};
const children: ChildProcess[] = [];
let stopping = false;

/** Starts a child; a supervised one that exits brings the whole system down, as a crashed service would. */
function run(name: string, args: string[], supervised = true): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `${name.padEnd(11)}| `;
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
    });
  }
  child.on('exit', (code, signal) => {
    process.stdout.write(`${prefix}exited (${signal ?? code})\n`);
    if (supervised && !stopping) void stop(1);
  });
  if (supervised) children.push(child);
  return child;
}

/** The Node flags the worker is deployed with (apps/worker/package.json `config.nodeOptions`). */
function workerNodeFlags(): string[] {
  const manifest = JSON.parse(readFileSync(join(root, 'apps/worker/package.json'), 'utf8')) as {
    config?: { nodeOptions?: string };
  };
  return (manifest.config?.nodeOptions ?? '').split(' ').filter(Boolean);
}

function finished(child: ChildProcess): Promise<number> {
  return new Promise((resolveExit) => child.on('exit', (code) => resolveExit(code ?? 1)));
}

async function waitForFile(path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`the sandbox did not write ${path} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
  for (const child of alive) child.kill('SIGTERM');
  await Promise.all(alive.map(finished));
  rmSync(caFile, { force: true });
  process.exit(code);
}

async function main(): Promise<void> {
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  rmSync(caFile, { force: true });
  const migrate = run('migrate', ['packages/db/src/cli/migrate.ts', 'up'], false);
  if ((await finished(migrate)) !== 0) throw new Error('database migration failed');
  run('sandbox', ['packages/provider-sandbox/src/cli/sandbox.ts']);
  await waitForFile(caFile, 30_000);
  run('connect-api', ['apps/connect-api/src/main.ts']);
  run('scheduler', ['apps/scheduler/src/main.ts']);
  run('worker', [...workerNodeFlags(), 'apps/worker/src/main.ts']);
  run('dashboard', ['apps/dashboard/src/main.ts']);
}

main().catch((error: unknown) => {
  process.stderr.write(`start: ${error instanceof Error ? error.message : String(error)}\n`);
  void stop(1);
});
