// npm run bench:sync -- [--size 0.2] [--seed N] [--quota] [--only gmail,graph,hubspot]
//
// The sync pipeline end to end, as production runs it: one worker process (apps/worker/src/main.ts) syncing
// accounts of the provider sandbox (its own process, the CLI) into a temporary database, jobs enqueued on a
// temporary Redis prefix. Accounts are connected through the real OAuth connect flow. Resources run one after
// another, each next to the ceiling that judges it:
//   Gmail      vs the client ceiling: the same messages listed and got by a bare googleapis loop (own process,
//              the worker's gmailConcurrency), nothing else done; measured before and after, averaged.
//   Graph mail vs the upsert ceiling: upsertRows of as many email rows (bench/upsert.ts's rows), before and after.
//   HubSpot    vs the same upsert ceiling.
// --size 1 is the issue's 100k Gmail + 100k Graph + 50k HubSpot. --quota instead syncs one Gmail mailbox with the
// sandbox enforcing Gmail's per-user quota (250 units/s) and prints how much of that quota the worker used.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@crm-sync/config';
import { completeConnect, OAuthStateStore, startConnect, type ConnectionsDeps } from '@crm-sync/connections';
import { syncJobId, type Provider, type Resource, type SyncPosition } from '@crm-sync/core';
import {
  createDataSource,
  dropDatabase,
  emailUpsert,
  ensureDatabase,
  upsertRows,
  withDatabase,
} from '@crm-sync/db';
import { DEFAULT_CLIENT } from '@crm-sync/provider-sandbox';
import {
  adaptersFromConfig,
  createAdapterRegistry,
  GOOGLE_DESCRIPTOR,
  sandboxEndpoints,
} from '@crm-sync/providers';
import { createRedisConnection, JobProducer, SYNC_QUEUES } from '@crm-sync/queue';
import { deleteUnder } from '@crm-sync/testing';
import { CredentialStore, KeyRing } from '@crm-sync/vault';
import { OAuth2Client } from 'google-auth-library';
import { gmail as gmailApi } from 'googleapis/build/src/apis/gmail';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { Agent } from 'undici';
import { emailRows, rawInsert } from './lib/emailRows';
import { peakRssMb } from './lib/rss';

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: '0.2' },
    seed: { type: 'string', default: '20261124' },
    quota: { type: 'boolean', default: false },
    // A comma-separated subset of gmail,graph,hubspot (all by default): e.g. to profile one resource.
    only: { type: 'string' },
    // Client-ceiling child mode (this file re-runs itself so the bare client has a process of its own).
    client: { type: 'boolean', default: false },
    origin: { type: 'string' },
    concurrency: { type: 'string' },
    fetch: { type: 'string' },
    'window-days': { type: 'string' },
  },
});
const SIZE = Number(args.size);
const SEED = Number(args.seed);
const ROOT = resolve(__dirname, '..');
const SANDBOX_CLI = join(ROOT, 'packages', 'provider-sandbox', 'src', 'cli', 'sandbox.ts');
const WORKER_MAIN = join(ROOT, 'apps', 'worker', 'src', 'main.ts');
/** The worker's own bound on messages.get in flight; the client ceiling uses the same. */
const GMAIL_CONCURRENCY = GOOGLE_DESCRIPTOR.sync.gmailConcurrency;
/** Gmail's per-user quota: 15,000 units a minute; messages.get and messages.list cost 5, getProfile 1. */
const GMAIL_UNITS_PER_SECOND = 250;
const GMAIL_UNITS: Record<string, number> = {
  'gmail.users.getProfile': 1,
  'gmail.messages.list': 5,
  'gmail.messages.get': 5,
  'gmail.users.history.list': 2,
};
/**
 * Mirrors the syncer's messages.get (providers/google/sync/gmailMessages.ts: `format=raw` and GOOGLE_FIELDS.message
 * in providers/google/fields.ts), so the wire is the same; the syncer's extra work is parsing the MIME.
 */
const MESSAGE_FIELDS = 'id,threadId,labelIds,snippet,internalDate,raw';
/** Ceiling pages: bench:upsert's default page size. */
const CEILING_PAGE = 500;
const POLL_MS = 25;
/** Figures for the closing one-line summary, in the order measured. */
const summaryParts: string[] = [];

const fmt = (n: number) => n.toFixed(2);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();

// ---------------------------------------------------------------------------------------------
// Child processes

/** Resolves with the first match of `pattern` in the child's output; rejects if it exits or times out first. */
function waitForOutput(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 60_000) {
  let output = '';
  return new Promise<string>((resolveOutput, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} not ready: ${output.slice(-2000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      // Only the tail is kept: a worker at LOG_LEVEL=info logs every slice.
      output = (output + chunk.toString()).slice(-20_000);
      if (pattern.test(output)) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolveOutput(output);
      }
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}: ${output.slice(-2000)}`));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
}

interface SandboxProcess {
  child: ChildProcess;
  urls: { google: string; microsoft: string; hubspot: string; control: string };
  secret: string;
  caFile: string;
}

/** The sandbox CLI in a process of its own, so its CPU is not the worker's or the bench's. */
async function startSandboxProcess(dir: string): Promise<SandboxProcess> {
  const caFile = join(dir, 'ca.pem');
  const secret = randomBytes(16).toString('hex');
  const child = spawn(process.execPath, ['--import', 'tsx', SANDBOX_CLI], {
    cwd: ROOT,
    env: {
      ...process.env,
      SANDBOX_PORT: '0',
      SANDBOX_HTTPS_PORT: '0',
      SANDBOX_DEMO: '0',
      // The issue's bench runs the sandbox unthrottled: HubSpot's per-account limits would cap a 50k round.
      SANDBOX_HUBSPOT_TEN_SECONDLY: '10000000',
      SANDBOX_HUBSPOT_SEARCH_PER_SECOND: '10000000',
      SANDBOX_CA_FILE: caFile,
      SANDBOX_CONTROL_SECRET: secret,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = await waitForOutput(child, /^control\s+\S+/m, 'sandbox');
  const url = (name: string) => {
    const found = new RegExp(`^${name}\\s+(\\S+)`, 'm').exec(output)?.[1];
    if (!found) throw new Error(`sandbox printed no ${name} URL`);
    return found;
  };
  return {
    child,
    urls: {
      google: url('google'),
      microsoft: url('microsoft'),
      hubspot: url('hubspot'),
      control: url('control'),
    },
    secret,
    caFile,
  };
}

async function control<T>(sb: SandboxProcess, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sb.urls.control}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${sb.secret}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`sandbox ${method} ${path}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

// ---------------------------------------------------------------------------------------------
// Client ceiling (child mode): list every id, then get each at the worker's concurrency; nothing else.

async function clientCeilingChild(origin: string, token: string, concurrency: number): Promise<void> {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: token });
  const gmail = gmailApi({ version: 'v1', auth, rootUrl: `${origin}/`, retry: false });
  const started = now();
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const { data } = await gmail.users.messages.list({
      userId: 'me',
      maxResults: 500,
      ...(pageToken ? { pageToken } : {}),
    });
    for (const m of data.messages ?? []) if (m.id) ids.push(m.id);
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ids.length) {
        const id = ids[next++] as string;
        await gmail.users.messages.get({
          userId: 'me',
          id,
          format: 'raw',
          fields: MESSAGE_FIELDS,
        });
      }
    }),
  );
  const seconds = (now() - started) / 1000;
  process.stdout.write(JSON.stringify({ messages: ids.length, seconds }));
}

async function clientCeiling(sb: SandboxProcess, token: string, expected: number): Promise<number> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      __filename,
      '--client',
      '--origin',
      sb.urls.google,
      '--concurrency',
      String(GMAIL_CONCURRENCY),
    ],
    // The token travels in the environment, never on the command line.
    { cwd: ROOT, env: { ...process.env, BENCH_SYNC_TOKEN: token }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`client ceiling exited ${code}`);
  const result = JSON.parse(out) as { messages: number; seconds: number };
  if (result.messages !== expected)
    throw new Error(`client ceiling saw ${result.messages} messages, expected ${expected}`);
  return result.messages / result.seconds;
}

// Syncer-only figure (child mode): the worker's own adapter (built from the same configuration) paging one full
// round with no database at all. Not judged; it splits a resource's time between fetching and committing.

async function syncerOnlyChild(provider: Provider, resource: Resource, token: string, windowDays: number) {
  const { adapters, close } = adaptersFromConfig(loadConfig().providers, 'http://127.0.0.1:9');
  const syncer = adapters.get(provider)?.sync?.[resource];
  if (!syncer) throw new Error(`no ${provider} ${resource} syncer`);
  const started = now();
  let position: SyncPosition = { mode: 'full', cursor: null, continuation: null };
  let items = 0;
  for (;;) {
    const page = await syncer.fetchPage({
      accessToken: token,
      position,
      now: new Date(),
      initialWindowDays: windowDays,
    });
    items += page.upserts.length;
    if (page.next.kind === 'caught_up') break;
    position = { ...position, continuation: page.next.continuation };
  }
  const seconds = (now() - started) / 1000;
  await close();
  process.stdout.write(JSON.stringify({ items, seconds, rssMb: peakRssMb(process.pid) }));
}

async function syncerOnly(w: World, d: Dataset, token: string): Promise<{ rate: number; rssMb: number }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      __filename,
      '--fetch',
      `${d.provider}/${d.resource}`,
      '--window-days',
      String(w.windowDays),
    ],
    {
      cwd: ROOT,
      env: { ...workerEnv(w), BENCH_SYNC_TOKEN: token, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`syncer-only run exited ${code}`);
  const result = JSON.parse(out) as { items: number; seconds: number; rssMb: number };
  if (result.items !== d.size)
    throw new Error(`syncer-only run saw ${result.items} items, expected ${d.size}`);
  return { rate: result.items / result.seconds, rssMb: result.rssMb };
}

// ---------------------------------------------------------------------------------------------
// The world: database, Redis prefix, connect flow, worker

interface Dataset {
  name: string;
  provider: Provider;
  resource: Resource;
  sandboxResource: string;
  size: number;
  table: 'emails' | 'crm_objects';
  objectType?: string;
}

interface World {
  db: DataSource;
  dbUrl: string;
  redisUrl: string;
  prefix: string;
  producer: JobProducer;
  deps: ConnectionsDeps;
  sb: SandboxProcess;
  keyRing: KeyRing;
  vaultKey: Buffer;
  dispatcher: Agent;
  /** SYNC_INITIAL_WINDOW_DAYS: wide enough that every generated message is in the first round. */
  windowDays: number;
}

/** Creates a sandbox account and connects it through the real OAuth flow (consent, callback, persist). */
async function connect(
  w: World,
  d: Dataset,
  tag: string,
): Promise<{ connectionId: string; accountId: string }> {
  const email = `bench-${tag}-${d.name}@example.com`;
  const account = await control<{ id: string }>(w.sb, 'POST', '/accounts', {
    provider: d.provider,
    email,
    // Account ids derive from the seed, so a second account of the same resource needs its own.
    seed: tag === 'syncer-only' ? SEED + 1 : SEED,
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
  const consent = await fetch(flow.authorizationUrl, {
    redirect: 'manual',
    // Microsoft's consent is on the sandbox's https origin, signed by its own CA.
    ...(d.provider === 'microsoft' ? { dispatcher: w.dispatcher } : {}),
  } as RequestInit);
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

/** The worker's configuration: the bench's database, Redis prefix, sandbox and vault key. */
/** apps/worker/package.json `config.nodeOptions`: the flags `npm start -w @crm-sync/worker` runs the worker with. */
const WORKER_NODE_OPTIONS =
  (
    JSON.parse(readFileSync(join(ROOT, 'apps/worker/package.json'), 'utf8')) as {
      config?: { nodeOptions?: string };
    }
  ).config?.nodeOptions ?? '';

function workerEnv(w: World): Record<string, string> {
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

async function startWorker(w: World): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_MAIN], {
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

interface SyncRun {
  rows: number;
  seconds: number;
  first500Ms: number | undefined;
  caughtUp: boolean;
}

/** Enqueues the sync job and polls sync_states until the round is caught up (or the deadline passes). */
async function syncToCompletion(
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

async function rowCount(w: World, d: Dataset, connectionId: string): Promise<number> {
  const byType = d.objectType ? 'AND object_type = $2' : '';
  const [row] = (await w.db.query(
    `SELECT count(*)::int AS n FROM ${d.table} WHERE connection_id = $1 AND deleted_at IS NULL ${byType}`,
    d.objectType ? [connectionId, d.objectType] : [connectionId],
  )) as Array<{ n: number }>;
  return row?.n ?? 0;
}

/** bench:upsert's figure for `rows` email rows: upsertRows alternating page by page with the raw INSERT. */
async function upsertCeiling(w: World, rows: number): Promise<{ upsert: number; raw: number }> {
  const ids = (await w.db.query(
    `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id)
     SELECT 'bench-ceiling', 'bench', 'google', $1 || n FROM generate_series(1, 2) n RETURNING id`,
    [`ceiling-${randomBytes(4).toString('hex')}-`],
  )) as Array<{ id: string }>;
  const [upsertId, rawId] = ids.map((r) => r.id) as [string, string];
  const row = emailRows(SEED, rows);
  const client = new Client({ connectionString: w.dbUrl });
  await client.connect();
  const ms = { upsert: 0, raw: 0 };
  try {
    for (let start = 0, turn = 0; start < rows; start += CEILING_PAGE, turn++) {
      const size = Math.min(CEILING_PAGE, rows - start);
      const arms = [
        {
          key: 'upsert' as const,
          id: upsertId,
          run: (p: ReturnType<typeof row>[]) => upsertRows(w.db, emailUpsert, p),
        },
        { key: 'raw' as const, id: rawId, run: (p: ReturnType<typeof row>[]) => rawInsert(client, p) },
      ];
      if (turn % 2) arms.reverse();
      for (const arm of arms) {
        const page = Array.from({ length: size }, (_, i) => row(arm.id, start + i));
        const began = now();
        await arm.run(page);
        ms[arm.key] += now() - began;
      }
    }
  } finally {
    await client.end();
  }
  // The ceiling's rows would otherwise sit in the table the next resource writes to.
  await w.db.query(`DELETE FROM emails WHERE connection_id = ANY($1::uuid[])`, [[upsertId, rawId]]);
  return { upsert: rows / (ms.upsert / 1000), raw: rows / (ms.raw / 1000) };
}

async function accessTokenOf(w: World, connectionId: string): Promise<string> {
  const stored = await w.deps.credentials.load(connectionId);
  if (!stored) throw new Error(`no credentials for ${connectionId}`);
  return stored.tokens.accessToken;
}

async function failedJobs(w: World, d: Dataset): Promise<number> {
  const counts = await w.producer.queue(SYNC_QUEUES[d.provider]).getJobCounts('failed');
  return counts.failed ?? 0;
}

// ---------------------------------------------------------------------------------------------
// The two modes

interface Judged {
  name: string;
  ok: boolean;
}

function timeoutFor(rows: number, perSecondFloor: number): number {
  return 60_000 + (rows / perSecondFloor) * 1000;
}

/** A number either way, so a script can read it: when page one never landed, the whole wait (a lower bound). */
function first500(run: SyncRun): string {
  return run.first500Ms === undefined
    ? `${Math.round(run.seconds * 1000)} (not reached: no page committed by the deadline)`
    : String(Math.round(run.first500Ms));
}

function checkRows(d: Dataset, run: SyncRun, judged: Judged[]): void {
  const ok = run.caughtUp && run.rows === d.size;
  console.log(
    `check ${d.name} rows ${run.rows} of ${d.size}${run.caughtUp ? '' : ' (NOT caught up before the deadline)'} ${ok ? 'ok' : 'WRONG'}`,
  );
  judged.push({ name: `${d.name}-rows`, ok });
}

async function unthrottled(w: World, worker: ChildProcess, sets: Dataset[]): Promise<Judged[]> {
  const judged: Judged[] = [];
  const summary: string[] = [];
  for (const d of sets)
    if (d.name === 'gmail') await gmailVsClient(w, worker, d, judged, summary);
    else await pagedVsUpsert(w, worker, d, judged, summary);
  const failed = (await Promise.all(sets.map((d) => failedJobs(w, d)))).reduce((a, b) => a + b, 0);
  console.log(`failed-jobs ${failed}`);
  judged.push({ name: 'failed-jobs', ok: failed === 0 });
  summaryParts.push(...summary);
  return judged;
}

/** Gmail: the client ceiling right before and right after the worker's figure, on the same messages. */
async function gmailVsClient(
  w: World,
  worker: ChildProcess,
  gmail: Dataset,
  judged: Judged[],
  summary: string[],
): Promise<void> {
  const g = await connect(w, gmail, 'unthrottled');
  const token = await accessTokenOf(w, g.connectionId);
  const before = await clientCeiling(w.sb, token, gmail.size);
  const run = await syncToCompletion(w, gmail, g.connectionId, timeoutFor(gmail.size, 100));
  const after = await clientCeiling(w.sb, token, gmail.size);
  const client = (before + after) / 2;
  const { rate: gmailSyncer, rssMb: gmailSyncerRss } = await syncerOnly(w, gmail, token);
  const gmailRate = run.rows / run.seconds;
  console.log(
    `client-ceiling msgs/s ${Math.round(client)} (googleapis list + get, c=${GMAIL_CONCURRENCY}, own process; before ${Math.round(before)}, after ${Math.round(after)})`,
  );
  console.log(`gmail records/s ${Math.round(gmailRate)} (${run.rows} rows in ${fmt(run.seconds)} s)`);
  console.log(
    `gmail syncer-only items/s ${Math.round(gmailSyncer)} (the worker's Gmail syncer paging the round with no database, own process, peak rss ${gmailSyncerRss} MB)`,
  );
  const gmailRatio = gmailRate / client;
  console.log(`ratio gmail-vs-client ${fmt(gmailRatio)} (target >= 0.70)`);
  console.log(`first-500-ms ${first500(run)} (unthrottled)`);
  checkRows(gmail, run, judged);
  judged.push({ name: 'gmail-vs-client', ok: gmailRatio >= 0.7 });
  summary.push(`gmail ${fmt(gmailRatio)} of client`);
  console.log(`worker peak rss after gmail ${peakRssMb(worker.pid!)} MB`);
}

/** Page-based resources: the upsert ceiling right before and after each. */
async function pagedVsUpsert(
  w: World,
  worker: ChildProcess,
  d: Dataset,
  judged: Judged[],
  summary: string[],
): Promise<void> {
  const c = await connect(w, d, 'unthrottled');
  const ceilingBefore = await upsertCeiling(w, d.size);
  const r = await syncToCompletion(w, d, c.connectionId, timeoutFor(d.size, 100));
  const ceilingAfter = await upsertCeiling(w, d.size);
  const ceiling = (ceilingBefore.upsert + ceilingAfter.upsert) / 2;
  // A second account of the same data: the sandbox keeps HubSpot's 110 requests per 10 s per account, which the
  // worker's round has just used.
  const fresh = await connect(w, d, 'syncer-only');
  const { rate: fetchOnly, rssMb: fetchRss } = await syncerOnly(
    w,
    d,
    await accessTokenOf(w, fresh.connectionId),
  );
  const raw = (ceilingBefore.raw + ceilingAfter.raw) / 2;
  const rate = r.rows / r.seconds;
  console.log(
    `upsert-ceiling rows/s ${Math.round(ceiling)} (upsertRows, pages of ${CEILING_PAGE}; before ${Math.round(ceilingBefore.upsert)}, after ${Math.round(ceilingAfter.upsert)}; raw INSERT ${Math.round(raw)})`,
  );
  console.log(`${d.name} records/s ${Math.round(rate)} (${r.rows} rows in ${fmt(r.seconds)} s)`);
  // If fetching and committing a page were overlapped instead of taking turns, the round would go at the slower.
  const serial = 1 / (1 / fetchOnly + 1 / ceiling);
  console.log(
    `${d.name} syncer-only items/s ${Math.round(fetchOnly)} (no database, own process, peak rss ${fetchRss} MB); fetch-then-commit bound ${Math.round(serial)}/s = ${fmt(serial / ceiling)} of ceiling, overlapped bound ${Math.round(Math.min(fetchOnly, ceiling))}/s`,
  );
  const ratio = rate / ceiling;
  console.log(`ratio ${d.name}-vs-upsert ${fmt(ratio)} (target >= 0.40)`);
  checkRows(d, r, judged);
  judged.push({ name: `${d.name}-vs-upsert`, ok: ratio >= 0.4 });
  summary.push(`${d.name} ${fmt(ratio)} of upsert`);
  console.log(`worker peak rss after ${d.name} ${peakRssMb(worker.pid!)} MB`);
}

async function quota(w: World, mailbox: Dataset): Promise<Judged[]> {
  const judged: Judged[] = [];
  const c = await connect(w, mailbox, 'quota');
  await control(w.sb, 'PUT', '/quota', {
    provider: 'google',
    accountId: c.accountId,
    unitsPerSecond: GMAIL_UNITS_PER_SECOND,
    status: 429,
  });
  await control(w.sb, 'DELETE', '/counters');
  // A perfect worker needs size * 5 units at 250 units/s; allow twice that and a minute.
  const ideal = (mailbox.size * GMAIL_UNITS['gmail.messages.get']!) / GMAIL_UNITS_PER_SECOND;
  const run = await syncToCompletion(w, mailbox, c.connectionId, 60_000 + ideal * 2000);
  const { counters } = await control<{
    counters: Array<{
      provider: string;
      route: string;
      accountId: string | null;
      status: number;
      count: number;
    }>;
  }>(w.sb, 'GET', '/counters');
  const mine = counters.filter((e) => e.provider === 'google' && e.accountId === c.accountId);
  const units = mine
    .filter((e) => e.status >= 200 && e.status < 300)
    .reduce((sum, e) => sum + (GMAIL_UNITS[e.route] ?? 0) * e.count, 0);
  const refused = mine.filter((e) => e.status === 429).reduce((sum, e) => sum + e.count, 0);
  const gets = mine
    .filter((e) => e.route === 'gmail.messages.get' && e.status === 200)
    .reduce((sum, e) => sum + e.count, 0);
  const utilisation = units / (GMAIL_UNITS_PER_SECOND * run.seconds);
  // Gets whose message never reached the table: a failed page's gets are fetched again on the next attempt.
  const wasted = Math.max(0, gets - run.rows);
  const failed = await failedJobs(w, mailbox);
  console.log(
    `quota: ${units} units served in ${fmt(run.seconds)} s (${gets} messages.get for ${mailbox.size} messages, ${wasted} of them wasted; ${refused} answered 429); ideal ${fmt(ideal)} s`,
  );
  console.log(
    `gmail records/s ${Math.round(run.rows / run.seconds)} under quota (ideal ${GMAIL_UNITS_PER_SECOND / 5})`,
  );
  console.log(`ratio quota-utilisation ${fmt(utilisation)} (target >= 0.90)`);
  console.log(`first-500-ms ${first500(run)} (target < 15000)`);
  console.log(`failed-jobs ${failed} (target 0)`);
  checkRows(mailbox, run, judged);
  judged.push({ name: 'quota-utilisation', ok: utilisation >= 0.9 });
  judged.push({ name: 'first-500-ms', ok: (run.first500Ms ?? Infinity) < 15_000 });
  judged.push({ name: 'failed-jobs', ok: failed === 0 });
  summaryParts.push(`quota utilisation ${fmt(utilisation)}`, `first 500 in ${first500(run)} ms`);
  return judged;
}

async function main(): Promise<void> {
  if (!(SIZE > 0) || !Number.isInteger(SEED)) throw new Error('--size must be > 0 and --seed an integer');
  const sets: Dataset[] = [
    {
      name: 'gmail',
      provider: 'google',
      resource: 'mail',
      sandboxResource: 'messages',
      size: Math.round(100_000 * SIZE),
      table: 'emails',
    },
    {
      name: 'graph',
      provider: 'microsoft',
      resource: 'mail',
      sandboxResource: 'messages',
      size: Math.round(100_000 * SIZE),
      table: 'emails',
    },
    {
      name: 'hubspot',
      provider: 'hubspot',
      resource: 'contacts',
      sandboxResource: 'contacts',
      size: Math.round(50_000 * SIZE),
      table: 'crm_objects',
      objectType: 'contacts',
    },
  ];
  // Under quota a perfect worker gets 50 messages/s, so the quota mailbox is smaller: 2,500 at the default size.
  const quotaMailbox: Dataset = { ...sets[0]!, name: 'gmail-quota', size: Math.round(12_500 * SIZE) };
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.log(
    args.quota
      ? `seed ${SEED} size ${SIZE} --quota: gmail ${quotaMailbox.size} messages at ${GMAIL_UNITS_PER_SECOND} units/s; load average ${load()}`
      : `seed ${SEED} size ${SIZE}: gmail ${sets[0]!.size} messages, graph ${sets[1]!.size} messages, hubspot ${sets[2]!.size} contacts; one worker, sandbox unthrottled; load average ${load()}`,
  );

  const config = loadConfig();
  const dir = mkdtempSync(join(tmpdir(), 'crm-sync-bench-sync-'));
  const dbUrl = withDatabase(config.database.url, `crm_sync_bench_${randomBytes(4).toString('hex')}`);
  const prefix = `crm-sync-bench:${randomBytes(6).toString('hex')}:`;
  await ensureDatabase(dbUrl);
  const db = createDataSource({ url: dbUrl, poolSize: 4, applicationName: 'crm-sync-bench' });
  const redis = createRedisConnection({ url: config.redis.url, role: 'producer' });
  const producer = new JobProducer({ connection: redis, prefix });
  let sb: SandboxProcess | undefined;
  let worker: ChildProcess | undefined;
  let dispatcher: Agent | undefined;
  let judged: Judged[] = [];
  try {
    await db.initialize();
    await db.runMigrations();
    sb = await startSandboxProcess(dir);
    dispatcher = new Agent({ connect: { ca: readFileSync(sb.caFile) } });
    const trusting = dispatcher;
    const trustingFetch: typeof fetch = (input, init) =>
      fetch(input, { ...init, dispatcher: trusting } as RequestInit);
    const vaultKey = randomBytes(32);
    // The worker reads the same key from VAULT_KEYS, so what connect seals here it can open.
    const keyRing = new KeyRing({ activeKeyId: 'bench', keys: { bench: vaultKey } });
    const redirectUri = 'http://127.0.0.1:9/v1/oauth/callback';
    const endpoints = sandboxEndpoints({ httpUrl: sb.urls.google, httpsUrl: sb.urls.microsoft });
    const oauthClient = {
      clientId: DEFAULT_CLIENT.clientId,
      clientSecret: DEFAULT_CLIENT.clientSecret,
      redirectUri,
    };
    const deps: ConnectionsDeps = {
      db,
      credentials: new CredentialStore({ db, keyRing }),
      states: new OAuthStateStore(redis, { keyPrefix: `${prefix}oauth-state:` }),
      producer,
      adapters: createAdapterRegistry({
        google: { ...oauthClient, fetch, endpoints: endpoints.google },
        microsoft: { ...oauthClient, fetch: trustingFetch, endpoints: endpoints.microsoft },
        hubspot: { ...oauthClient, endpoints: endpoints.hubspot },
      }),
    };
    const w: World = {
      db,
      dbUrl,
      redisUrl: config.redis.url,
      prefix,
      producer,
      deps,
      sb,
      keyRing,
      vaultKey,
      dispatcher,
      // Generated messages go back from account creation, Gmail's a minute apart and Graph's 17 minutes apart
      // (provider-sandbox google/data.ts, microsoft/graph/generate.ts): the window must hold every one, now that
      // the sandbox honours the window and Graph mail applies it.
      windowDays: Math.max(
        90,
        Math.ceil((Math.max(...sets.map((d) => d.size), quotaMailbox.size) * 17) / 1440) + 2,
      ),
    };
    worker = await startWorker(w);
    console.log(`worker rss at ready ${peakRssMb(worker.pid!)} MB`);
    const only = args.only?.split(',');
    const chosen = only ? sets.filter((d) => only.includes(d.name)) : sets;
    judged = args.quota ? await quota(w, quotaMailbox) : await unthrottled(w, worker, chosen);
    const rss = peakRssMb(worker.pid!);
    console.log(`rss-mb ${rss} (worker process peak VmHWM, target < 300)`);
    judged.push({ name: 'rss-mb', ok: rss < 300 });
    summaryParts.push(`worker rss ${rss} MB`);
  } finally {
    await stop(worker);
    await stop(sb?.child);
    await dispatcher?.close();
    await producer.close();
    await deleteUnder(redis, prefix);
    await redis.quit();
    if (db.isInitialized) await db.destroy();
    await dropDatabase(dbUrl);
    rmSync(dir, { recursive: true, force: true });
  }
  const missed = judged.filter((j) => !j.ok).map((j) => j.name);
  console.log(
    `summary: ${args.only ? `(only ${args.only}) ` : ''}${summaryParts.join(', ')}; load average ${load()}; ${missed.length ? `MISSED: ${missed.join(', ')}` : 'all targets met'}`,
  );
}

if (args.fetch) {
  const token = process.env.BENCH_SYNC_TOKEN;
  const [provider, resource] = args.fetch.split('/') as [Provider, Resource];
  if (!token) throw new Error('syncer-only mode needs BENCH_SYNC_TOKEN');
  syncerOnlyChild(provider, resource, token, Number(args['window-days'] ?? 90)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
} else if (args.client) {
  const token = process.env.BENCH_SYNC_TOKEN;
  if (!token || !args.origin) throw new Error('client mode needs --origin and BENCH_SYNC_TOKEN');
  clientCeilingChild(args.origin, token, Number(args.concurrency ?? GMAIL_CONCURRENCY)).catch(
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
} else {
  main().catch((error: unknown) => {
    console.error(`bench:sync failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
