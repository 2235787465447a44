import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CookieJar,
  createTestDatabase,
  createTestRedis,
  exited,
  freePort,
  waitFor,
  type TestDatabase,
  type TestRedis,
} from '@crm-sync/testing';

// Issue 24 item 8: `npm start` as a user runs it. SIGTERM or SIGINT to npm stops every process it started (it used to
// stop npm alone and leave the apps holding their ports), and a restart keeps the demo connections: the sandbox
// saves its accounts and grants to SANDBOX_STATE_FILE.
const ROOT = resolve(__dirname, '..', '..', '..');
const SERVICE = 'dev-service-token-not-for-production';
const CONTROL = { authorization: 'Bearer sandbox-control-secret', 'content-type': 'application/json' };

let db: TestDatabase;
let redis: TestRedis;
let env: Record<string, string>;
let ports: number[];
let running: ChildProcess | undefined;

beforeAll(async () => {
  [db, redis] = await Promise.all([createTestDatabase({ migrate: false }), createTestRedis()]);
  ports = await Promise.all(Array.from({ length: 7 }, () => freePort()));
  const [api, ops, worker, scheduler, dashboard, http, https] = ports.map(String) as string[] & { length: 7 };
  const dir = mkdtempSync(join(tmpdir(), 'crm-sync-npm-start-'));
  const { NODE_ENV: _jestSets, ...inherited } = process.env as Record<string, string>;
  env = {
    ...inherited,
    LOG_LEVEL: 'warn',
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    WORKER_QUEUE_PREFIX: `${redis.prefix}bull`,
    CONNECT_API_PORT: api,
    CONNECT_API_OPS_PORT: ops,
    PUBLIC_BASE_URL: `http://127.0.0.1:${api}`,
    ALLOWED_REDIRECT_ORIGINS: 'https://crm.example.com',
    WORKER_HTTP_PORT: worker,
    SCHEDULER_HTTP_PORT: scheduler,
    SCHEDULER_TICK_MS: '200',
    DASHBOARD_PORT: dashboard,
    SANDBOX_PORT: http,
    SANDBOX_HTTPS_PORT: https,
    SANDBOX_HTTP_URL: `http://127.0.0.1:${http}`,
    SANDBOX_HTTPS_URL: `https://127.0.0.1:${https}`,
    SANDBOX_CA_FILE: join(dir, 'ca.pem'),
    SANDBOX_STATE_FILE: join(dir, 'state', 'sandbox.json'),
    SANDBOX_DEMO: '0',
  };
}, 60_000);

afterAll(async () => {
  if (running && running.exitCode === null) running.kill('SIGKILL');
  await Promise.all([db.drop(), redis.cleanup()]);
});

/** `npm start` until its banner; its output is kept for the failure message. */
async function npmStart(): Promise<{ npm: ChildProcess; output: () => string }> {
  const npm = spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running = npm;
  let output = '';
  npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(() => output.includes('crm-sync is up'), {
    what: `npm start's banner (${output.slice(-1500)})`,
    timeoutMs: 150_000,
  });
  return { npm, output: () => output };
}

/** Every process under `pid`, from /proc (Linux, as this machine and CI are). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  const all: number[] = [];
  for (let queue = [pid]; queue.length > 0;) {
    const next = parents.get(queue.shift() as number) ?? [];
    all.push(...next);
    queue.push(...next);
  }
  return all;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const portFree = (port: number) =>
  new Promise<boolean>((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });

/** Sends `signal` to npm alone (not its process group) and expects every process it started gone, ports free. */
async function stopWith(npm: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  const started = descendants(npm.pid as number);
  expect(started.length).toBeGreaterThanOrEqual(7); // node start.ts, sandbox, four apps, the notifications printer
  npm.kill(signal);
  await exited(npm);
  await waitFor(() => started.every((pid) => !alive(pid)), {
    what: `every process npm start started to stop after ${signal}`,
    timeoutMs: 20_000,
  });
  expect(await Promise.all(ports.map(portFree))).toEqual(ports.map(() => true));
}

const api = (path: string, json?: unknown) =>
  fetch(`${env.PUBLIC_BASE_URL}${path}`, {
    method: json === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${SERVICE}`, 'content-type': 'application/json' },
    ...(json !== undefined && { body: JSON.stringify(json) }),
  });

const control = (path: string, json: unknown) =>
  fetch(`${env.SANDBOX_HTTP_URL}/__sandbox${path}`, {
    method: 'POST',
    headers: CONTROL,
    body: JSON.stringify(json),
  });

const rows = async (connectionId: string) =>
  (
    (await db.dataSource.query(
      `SELECT count(*)::int AS n FROM emails WHERE connection_id = $1 AND deleted_at IS NULL`,
      [connectionId],
    )) as Array<{ n: number }>
  )[0]?.n;

it('stops everything on SIGTERM and SIGINT, and keeps a connection across a restart', async () => {
  const first = await npmStart();
  expect(first.output()).toContain(`service token: Bearer ${SERVICE}`);
  const account = (await (
    await control('/accounts', { provider: 'google', email: 'restart@example.com', sizes: { messages: 3 } })
  ).json()) as { id: string };
  const started = await api('/v1/connect/google', {
    tenantId: 't1',
    crmUserId: 'u1',
    resources: ['mail'],
    redirectUrl: 'https://crm.example.com/done',
    loginHint: 'restart@example.com',
  });
  expect(started.status).toBe(201);
  const { authorizationUrl } = (await started.json()) as { authorizationUrl: string };
  const browser = new CookieJar();
  const consent = await fetch((await browser.fetch(authorizationUrl)).headers.get('location')!, {
    redirect: 'manual',
  });
  expect((await browser.fetch(consent.headers.get('location')!)).status).toBe(302);
  const [connection] = (await db.dataSource.query(`SELECT id FROM connections WHERE email = $1`, [
    'restart@example.com',
  ])) as Array<{ id: string }>;
  const connectionId = connection!.id;
  await waitFor(async () => (await rows(connectionId)) === 3, { what: 'the first round', timeoutMs: 60_000 });
  // The demo consumer prints the CRM's notifications.
  await waitFor(() => first.output().includes('sync.completed'), { what: 'a printed notification' });
  await stopWith(first.npm, 'SIGTERM');

  const second = await npmStart();
  // The old access token is no use now: the sync must refresh with the refresh token the first run issued.
  expect((await control(`/accounts/google/${account.id}/expire-tokens`, {})).ok).toBe(true);
  expect(
    (await control(`/accounts/google/${account.id}/messages/items`, { subject: 'after restart' })).ok,
  ).toBe(true);
  expect((await api(`/v1/connections/${connectionId}/sync`, { tenantId: 't1' })).status).toBe(202);
  await waitFor(async () => (await rows(connectionId)) === 4, {
    what: `a round after the restart (${second.output().slice(-1500)})`,
    timeoutMs: 60_000,
  });
  const [after] = (await db.dataSource.query(`SELECT status FROM connections WHERE id = $1`, [
    connectionId,
  ])) as Array<{ status: string }>;
  expect(after?.status).toBe('active');
  await stopWith(second.npm, 'SIGINT');
}, 420_000);
