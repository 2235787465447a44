// npm run bench:sync -- [--size 0.2] [--seed N] [--quota] [--only gmail,graph,hubspot,gtasks,todo]
//
// The sync pipeline end to end, as production runs it: one worker process (apps/worker/src/main.ts) syncing
// accounts of the provider sandbox (its own process, the CLI) into a temporary database, jobs enqueued on a
// temporary Redis prefix. Accounts are connected through the real OAuth connect flow. Resources run one after
// another, each next to the ceiling that judges it:
//   Gmail      vs the client ceiling: the same messages listed and got by a bare googleapis loop (own process,
//              the worker's gmailConcurrency), nothing else done; measured before and after, averaged.
//   Graph mail vs the upsert ceiling: upsertRows of as many email rows (bench/upsert.ts's rows), before and after.
//   HubSpot    vs the same upsert ceiling.
//   Google Tasks and Microsoft To Do (issue 23) vs the same upsert ceiling.
// The pieces live in bench/sync/: processes.ts (children), world.ts (database, connect flow, worker), ceilings.ts,
// syncerOnly.ts and modes.ts. --size 1 is the issue's 100k Gmail + 100k Graph + 50k HubSpot. --quota instead syncs one Gmail mailbox with the
// sandbox enforcing Gmail's per-user quota (250 units/s) and prints how much of that quota the worker used.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@crm-sync/config';
import { ConnectionGenerations, OAuthStateStore, type ConnectionsDeps } from '@crm-sync/connections';
import { type Provider, type Resource } from '@crm-sync/core';
import { createDataSource, dropDatabase, ensureDatabase, withDatabase } from '@crm-sync/db';
import { DEFAULT_CLIENT } from '@crm-sync/provider-sandbox';
import { createAdapterRegistry, sandboxEndpoints, trustCertificate } from '@crm-sync/providers';
import { createRedisConnection, JobProducer } from '@crm-sync/queue';
import { deleteUnder } from '@crm-sync/testing';
import { createContentKeys, CredentialStore, KeyRing } from '@crm-sync/vault';
import { type ChildProcess } from 'node:child_process';
import { peakRssMb } from './lib/rss';
import { clientCeilingChild, GMAIL_CONCURRENCY } from './sync/ceilings';
import { GMAIL_UNITS_PER_SECOND, type Judged, quota, unthrottled } from './sync/modes';
import { startSandboxProcess, stop, type SandboxProcess } from './sync/processes';
import { syncerOnlyChild } from './sync/syncerOnly';
import { type Dataset, startWorker, type World } from './sync/world';

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: '0.2' },
    seed: { type: 'string', default: '20261124' },
    quota: { type: 'boolean', default: false },
    // A comma-separated subset of gmail,graph,hubspot,gtasks,todo (all by default): e.g. to profile one resource.
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
    // Tasks (issue 23): Google Tasks (tasks.list per list, pages of 100) and To Do (a task delta per list).
    {
      name: 'gtasks',
      provider: 'google',
      resource: 'tasks',
      sandboxResource: 'tasks',
      size: Math.round(50_000 * SIZE),
      table: 'tasks',
    },
    {
      name: 'todo',
      provider: 'microsoft',
      resource: 'tasks',
      sandboxResource: 'tasks',
      size: Math.round(50_000 * SIZE),
      table: 'tasks',
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
      : `seed ${SEED} size ${SIZE}: gmail ${sets[0]!.size} messages, graph ${sets[1]!.size} messages, hubspot ${sets[2]!.size} contacts, gtasks and todo ${sets[3]!.size} tasks each; one worker, sandbox unthrottled; load average ${load()}`,
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
  let judged: Judged[] = [];
  /** Figures for the closing one-line summary, in the order measured. */
  const summaryParts: string[] = [];
  try {
    await db.initialize();
    await db.runMigrations();
    sb = await startSandboxProcess(dir);
    trustCertificate(readFileSync(sb.caFile, 'utf8'));
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
      generations: new ConnectionGenerations({ redis, keyPrefix: prefix }),
      // Connect opens no content; the worker seals with its own keys (VAULT_KEYS above, CONTENT_INDEX_KEY's default).
      content: createContentKeys({
        db,
        keyRing,
        index: { activeKeyId: 'bench', keys: { bench: randomBytes(32) } },
      }),
      adapters: createAdapterRegistry({
        google: { ...oauthClient, fetch, endpoints: endpoints.google },
        microsoft: { ...oauthClient, fetch, endpoints: endpoints.microsoft },
        hubspot: { ...oauthClient, endpoints: endpoints.hubspot },
      }),
    };
    const w: World = {
      seed: SEED,
      db,
      dbUrl,
      redisUrl: config.redis.url,
      prefix,
      producer,
      deps,
      sb,
      keyRing,
      vaultKey,
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
    const result = args.quota ? await quota(w, quotaMailbox) : await unthrottled(w, worker, chosen);
    judged = result.judged;
    summaryParts.push(...result.summary);
    const rss = peakRssMb(worker.pid!);
    console.log(`rss-mb ${rss} (worker process peak VmHWM, target < 300)`);
    judged.push({ name: 'rss-mb', ok: rss < 300 });
    summaryParts.push(`worker rss ${rss} MB`);
  } finally {
    await stop(worker);
    await stop(sb?.child);
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
