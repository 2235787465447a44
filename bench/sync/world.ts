// bench:sync's world: database, Redis prefix, sandbox, the connect flow, the worker and a sync run to completion.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { completeConnect, startConnect, type ConnectionsDeps } from '@crm-sync/connections';
import { syncJobId, type Provider, type Resource } from '@crm-sync/core';
import { type JobProducer, SYNC_QUEUES } from '@crm-sync/queue';
import { type KeyRing } from '@crm-sync/vault';
import type { DataSource } from 'typeorm';
import { control, profileArgs, ROOT, type SandboxProcess, waitForOutput } from './processes';

const WORKER_MAIN = join(ROOT, 'apps', 'worker', 'src', 'main.ts');
/** bench/sync.ts re-runs itself for the child modes (client ceiling, syncer only). */
export const SYNC_SCRIPT = join(ROOT, 'bench', 'sync.ts');
const POLL_MS = 25;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const now = () => performance.now();

export interface Dataset {
  name: string;
  provider: Provider;
  resource: Resource;
  sandboxResource: string;
  size: number;
  table: 'emails' | 'crm_objects' | 'tasks';
  objectType?: string;
}

export interface World {
  seed: number;
  db: DataSource;
  dbUrl: string;
  redisUrl: string;
  prefix: string;
  producer: JobProducer;
  deps: ConnectionsDeps;
  sb: SandboxProcess;
  keyRing: KeyRing;
  vaultKey: Buffer;
  /** SYNC_INITIAL_WINDOW_DAYS: wide enough that every generated message is in the first round. */
  windowDays: number;
}

/** Creates a sandbox account and connects it through the real OAuth flow (consent, callback, persist). */
export async function connect(
  w: World,
  d: Dataset,
  tag: string,
): Promise<{ connectionId: string; accountId: string }> {
  const email = `bench-${tag}-${d.name}@example.com`;
  const account = await control<{ id: string }>(w.sb, 'POST', '/accounts', {
    provider: d.provider,
    email,
    // Account ids derive from the seed, so a second account of the same resource needs its own.
    seed: tag === 'syncer-only' ? w.seed + 1 : w.seed,
    sizes: { [d.sandboxResource]: d.size },
  });
  // HubSpot's consent ignores login_hint (the user picks an account in its UI): name the account here.
  await control(w.sb, 'PUT', `/authorize/${d.provider}`, { defaultLoginEmail: email });
  const { flowId } = await startConnect(w.deps, {
    provider: d.provider,
    tenantId: 'bench',
    crmUserId: `u-${account.id}`,
    resources: [d.resource],
    redirectUrl: 'https://crm.example.com/done',
    loginHint: email,
  });
  // What GET /v1/connect/start/:flowId does for a browser: bind the flow to a key its cookie carries back.
  const flow = await w.deps.states.openFlow(flowId);
  if (!flow) throw new Error('connect flow did not open');
  // Microsoft's consent is on the sandbox's https origin, signed by its own CA, which the process trusts.
  const consent = await fetch(flow.authorizationUrl, { redirect: 'manual' });
  await consent.body?.cancel();
  const location = consent.headers.get('location');
  if (consent.status !== 302 || !location) throw new Error(`sandbox consent answered ${consent.status}`);
  const params = new URL(location).searchParams;
  const outcome = await completeConnect(w.deps, {
    provider: d.provider,
    state: params.get('state') ?? undefined,
    code: params.get('code') ?? undefined,
    browserKeyFor: (id) => (id === flowId ? flow.browserKey : undefined),
  });
  if (outcome.kind !== 'connected') throw new Error(`connect failed: ${outcome.kind}`);
  return { connectionId: outcome.connectionId, accountId: account.id };
}

/** apps/worker/package.json `config.nodeOptions`: the flags `npm start -w @crm-sync/worker` runs the worker with. */
const WORKER_NODE_OPTIONS =
  (
    JSON.parse(readFileSync(join(ROOT, 'apps/worker/package.json'), 'utf8')) as {
      config?: { nodeOptions?: string };
    }
  ).config?.nodeOptions ?? '';

/** The worker's configuration: the bench's database, Redis prefix, sandbox and vault key. */
export function workerEnv(w: World): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    // The worker runs with the Node flags it is deployed with; BENCH_WORKER_NODE_OPTIONS tries others.
    NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS ?? WORKER_NODE_OPTIONS,
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    DATABASE_URL: w.dbUrl,
    REDIS_URL: w.redisUrl,
    VAULT_KEYS: `bench:${w.vaultKey.toString('base64')}`,
    PROVIDER_MODE: 'sandbox',
    // The bench measures against an unthrottled sandbox (processes.ts lifts its HubSpot limits): so is the worker's
    // per-connection request budget (docs/token-broker.md).
    PROVIDER_REQUEST_BUDGET_FACTOR: '1000000',
    SANDBOX_HTTP_URL: w.sb.urls.google,
    SANDBOX_HTTPS_URL: w.sb.urls.microsoft,
    SANDBOX_CA_FILE: w.sb.caFile,
    WORKER_QUEUE_PREFIX: w.prefix,
    WORKER_HTTP_PORT: '0',
    // Not connection-events: a new connection's event starts its first sync at once, and the bench starts each
    // sync itself, after the connect flow, so the clock starts with the job.
    WORKER_QUEUES: 'sync-google,sync-microsoft,sync-hubspot,token-refresh',
    SYNC_INITIAL_WINDOW_DAYS: String(w.windowDays),
  };
}

export async function startWorker(w: World): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...profileArgs('worker'), '--import', 'tsx', WORKER_MAIN], {
    cwd: ROOT,
    env: workerEnv(w),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForOutput(child, /"msg":"ready"/, 'worker');
  // Keep draining its logs, or the pipe fills and the worker blocks on stdout.
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

export interface SyncRun {
  rows: number;
  seconds: number;
  first500Ms: number | undefined;
  caughtUp: boolean;
}

/** Enqueues the sync job and polls sync_states until the round is caught up (or the deadline passes). */
export async function syncToCompletion(
  w: World,
  d: Dataset,
  connectionId: string,
  timeoutMs: number,
): Promise<SyncRun> {
  const data = { connectionId, resource: d.resource };
  const started = now();
  await w.producer.enqueue(SYNC_QUEUES[d.provider], d.resource, data, { jobId: syncJobId(data) });
  let first500Ms: number | undefined;
  let caughtUp = false;
  while (now() - started < timeoutMs) {
    const [state] = (await w.db.query(
      `SELECT phase, items_done FROM sync_states WHERE connection_id = $1 AND resource = $2`,
      [connectionId, d.resource],
    )) as Array<{ phase: string | null; items_done: string | number }>;
    // items_done counts the round's committed items: page one of a Gmail full round is its newest 500.
    if (first500Ms === undefined && Number(state?.items_done ?? 0) >= Math.min(500, d.size))
      first500Ms = now() - started;
    if (state?.phase === 'caught_up') {
      caughtUp = true;
      break;
    }
    await sleep(POLL_MS);
  }
  const seconds = (now() - started) / 1000;
  return { rows: await rowCount(w, d, connectionId), seconds, first500Ms, caughtUp };
}

export async function rowCount(w: World, d: Dataset, connectionId: string): Promise<number> {
  const byType = d.objectType ? 'AND object_type = $2' : '';
  const [row] = (await w.db.query(
    `SELECT count(*)::int AS n FROM ${d.table} WHERE connection_id = $1 AND deleted_at IS NULL ${byType}`,
    d.objectType ? [connectionId, d.objectType] : [connectionId],
  )) as Array<{ n: number }>;
  return row?.n ?? 0;
}

export async function accessTokenOf(w: World, connectionId: string): Promise<string> {
  const stored = await w.deps.credentials.load(connectionId);
  if (!stored) throw new Error(`no credentials for ${connectionId}`);
  return stored.tokens.accessToken;
}

export async function failedJobs(w: World, d: Dataset): Promise<number> {
  const counts = await w.producer.queue(SYNC_QUEUES[d.provider]).getJobCounts('failed');
  return counts.failed ?? 0;
}
