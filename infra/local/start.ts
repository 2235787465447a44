// `npm start`: the whole system on one machine with the provider sandbox as the default provider.
// Migrates the database, starts the sandbox, then connect-api, the scheduler, a worker, the dashboard and a demo
// consumer of the CRM notifications, each as its own process (as in production), with their output prefixed; prints
// where everything is once all answer. Ctrl-C or SIGTERM stops them all (supervisor.ts).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '@crm-sync/config';
import { banner, healthUrls } from './banner';
import { createSupervisor, exited } from './supervisor';

const root = resolve(__dirname, '..', '..');
const caFile = process.env.SANDBOX_CA_FILE ?? join(tmpdir(), `crm-sync-sandbox-ca-${process.pid}.pem`);
// Under the project (gitignored), so demo connections survive a restart (provider-sandbox core/state.ts).
const stateFile = process.env.SANDBOX_STATE_FILE ?? join(root, '.sandbox', 'state.json');
const env = {
  ...process.env,
  SANDBOX_CA_FILE: caFile,
  SANDBOX_STATE_FILE: stateFile,
  PROVIDER_MODE: process.env.PROVIDER_MODE ?? 'sandbox',
};
const supervisor = createSupervisor(root, env, () => rmSync(caFile, { force: true }));

/** The Node flags the worker is deployed with (apps/worker/package.json `config.nodeOptions`). */
function workerNodeFlags(): string[] {
  const manifest = JSON.parse(readFileSync(join(root, 'apps/worker/package.json'), 'utf8')) as {
    config?: { nodeOptions?: string };
  };
  return (manifest.config?.nodeOptions ?? '').split(' ').filter(Boolean);
}

async function until(
  what: string,
  ready: () => Promise<boolean> | boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const answers = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
    (response) => response.ok,
    () => false,
  );

async function main(): Promise<void> {
  process.once('SIGINT', () => void supervisor.stop(0));
  process.once('SIGTERM', () => void supervisor.stop(0));
  const config = loadConfig(env);
  rmSync(caFile, { force: true });
  const migrate = supervisor.run('migrate', ['packages/db/src/cli/migrate.ts', 'up'], { supervised: false });
  if ((await exited(migrate)) !== 0) throw new Error('database migration failed');
  supervisor.run('sandbox', ['packages/provider-sandbox/src/cli/sandbox.ts']);
  await until('the sandbox did not write its certificate', () => existsSync(caFile), 30_000);
  supervisor.run('connect-api', ['apps/connect-api/src/main.ts']);
  supervisor.run('scheduler', ['apps/scheduler/src/main.ts']);
  supervisor.run('worker', [...workerNodeFlags(), 'apps/worker/src/main.ts']);
  supervisor.run('dashboard', ['apps/dashboard/src/main.ts']);
  supervisor.run('notifications', ['infra/local/notifications.ts']);
  const urls = healthUrls(config);
  await until(
    'not every app answered its health check',
    async () => (await Promise.all(urls.map(answers))).every(Boolean),
    120_000,
  );
  process.stdout.write(`${banner(config, stateFile)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`start: ${error instanceof Error ? error.message : String(error)}\n`);
  void supervisor.stop(1);
});
