// npm run bench:push -- [--provider graph|calendar|gmail|hubspot] [--connections 100] [--changes 1000] [--rate 10] [--delay 0]
//                        [--seed 20261203]
//
// Time from a change at the sandbox to its row visible in the CRM table, with push (issue 25, docs/push.md):
// connect-api, the worker and the scheduler run as their own processes over a temporary database and Redis prefix;
// the sandbox, in this process, plays the provider: the worker's push keeper opens a channel per connection (Graph:
// a contacts subscription; Calendar: an events.watch channel; Gmail: a users.watch on a Pub/Sub topic whose push
// subscription points at connect-api; HubSpot: a coverage row, the app's webhook settings pointing at connect-api),
// and after each change the sandbox POSTs its notice (after --delay ms) to
// connect-api, which verifies it and asks for a round; the worker's round reads the change from its cursor. The poll
// interval is 10 minutes, so no row comes by polling. --changes items are added, spread over the connections in turn
// at --rate per second; each is timed from the add to the moment its row is visible (polled every 10 ms). The
// ceiling, measured for the same changes, is the notice's delivery alone (change → connect-api's answer).
import { parseArgs } from 'node:util';
import { connectSandboxAccount } from '@crm-sync/connections/testing';
import { appsUnderTest } from './lib/appsUnderTest';
import { peakRssMb } from './lib/rss';

/** What each pushed provider resource is measured on: its sandbox dataset, CRM table and notice answer. */
const PROFILES = {
  graph: { provider: 'microsoft', resource: 'contacts', dataset: 'contacts', table: 'contacts', ok: 202 },
  calendar: {
    provider: 'google',
    resource: 'calendar',
    dataset: 'events',
    table: 'calendar_events',
    ok: 200,
  },
  gmail: { provider: 'google', resource: 'mail', dataset: 'messages', table: 'emails', ok: 204 },
  hubspot: { provider: 'hubspot', resource: 'contacts', dataset: 'contacts', table: 'crm_objects', ok: 204 },
} as const;
const GMAIL_TOPIC = 'projects/crm-sync-bench/topics/gmail';
const GMAIL_SERVICE_ACCOUNT = 'gmail-push@crm-sync-bench.iam.gserviceaccount.com';

const { values: args } = parseArgs({
  options: {
    provider: { type: 'string', default: 'graph' },
    connections: { type: 'string', default: '100' },
    changes: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '10' },
    delay: { type: 'string', default: '0' },
    seed: { type: 'string', default: '20261203' },
  },
});
const CONNECTIONS = Number(args.connections);
const CHANGES = Number(args.changes);
const RATE = Number(args.rate);
const DELAY = Number(args.delay);
const SEED = Number(args.seed);
if (!(args.provider in PROFILES)) throw new Error(`--provider is one of ${Object.keys(PROFILES).join(', ')}`);
const PROFILE = PROFILES[args.provider as keyof typeof PROFILES];

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface SentRecord {
  /** Google's records: `sync` (a new Calendar channel) is not a change. */
  state?: string;
  status: number | null;
  tookMs: number | null;
}

async function main(): Promise<void> {
  const world = await appsUnderTest('push');
  const { h, baseUrl } = world;
  console.log(
    `seed ${SEED}, ${CONNECTIONS} ${args.provider} connections, ${CHANGES} changes at ${RATE}/s, sandbox push delay ${DELAY} ms`,
  );
  const targets: Array<{ connectionId: string; accountId: string }> = [];
  for (let i = 0; i < CONNECTIONS; i += 1) {
    const { connectionId, account } = await connectSandboxAccount(h, {
      provider: PROFILE.provider,
      email: `push-${i}@example.com`,
      resources: [PROFILE.resource],
      sizes: { [PROFILE.dataset]: 1 },
      seed: SEED + i,
    });
    await world.reseal(connectionId);
    targets.push({ connectionId, accountId: account.id });
  }
  await h.sandbox.control.providerOp(PROFILE.provider, targets[0]!.accountId, 'pushPlan', { delayMs: DELAY });

  const pubsubEndpoint = `${baseUrl}/v1/webhooks/google/pubsub`;
  if (args.provider === 'gmail') {
    await h.sandbox.control.providerOp('google', targets[0]!.accountId, 'pubsubTopic', {
      topic: GMAIL_TOPIC,
      pushEndpoint: pubsubEndpoint,
      serviceAccount: GMAIL_SERVICE_ACCOUNT,
    });
  }
  if (args.provider === 'hubspot') {
    // The app's webhooks, as the operator sets them in the developer account.
    await h.sandbox.control.providerOp('hubspot', targets[0]!.accountId, 'webhookSettings', {
      targetUrl: `${baseUrl}/v1/webhooks/hubspot`,
      subscriptions: [{ eventType: 'contact.creation' }],
    });
  }
  const env = {
    PROVIDER_REQUEST_BUDGET_FACTOR: '1000000',
    // No row may come by polling while the bench measures.
    SYNC_INCREMENTAL_INTERVAL_MS: '600000',
    PUSH_KEEPER_INTERVAL_MS: '500',
    ...(args.provider === 'gmail' && {
      GOOGLE_PUBSUB_TOPIC: GMAIL_TOPIC,
      GOOGLE_PUSH_AUDIENCE: pubsubEndpoint,
      GOOGLE_PUSH_SERVICE_ACCOUNT: GMAIL_SERVICE_ACCOUNT,
    }),
    ...(args.provider === 'hubspot' && { HUBSPOT_WEBHOOK_RESOURCES: 'contacts' }),
  };
  const query = <T>(sql: string, params: unknown[] = []) =>
    h.db.dataSource.query(sql, params) as Promise<T[]>;
  try {
    const apps = await world.start(['connect-api', 'worker', 'scheduler'], env);
    // First rounds (the connections' connected events), then a subscription per connection.
    for (;;) {
      const [{ n }] = (await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM push_channels WHERE status = 'active'`,
      )) as [{ n: number }];
      if (n === CONNECTIONS) break;
      await sleep(200);
    }
    const counts = async () =>
      new Map(
        (
          await query<{ id: string; n: number }>(
            `SELECT connection_id AS id, count(*)::int AS n FROM ${PROFILE.table} GROUP BY connection_id`,
          )
        ).map((r) => [r.id, r.n]),
      );
    const expected = await counts();
    const pending: Array<{ connectionId: string; want: number; at: number }> = [];
    const visible: number[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching || pending.length > 0) {
        const now = await counts();
        const seenAt = performance.now();
        for (let i = pending.length - 1; i >= 0; i -= 1) {
          const p = pending[i]!;
          if ((now.get(p.connectionId) ?? 0) >= p.want) {
            visible.push(seenAt - p.at);
            pending.splice(i, 1);
          }
        }
        await sleep(10);
      }
    })();
    const began = performance.now();
    for (let i = 0; i < CHANGES; i += 1) {
      const wait = began + (i * 1000) / RATE - performance.now();
      if (wait > 0) await sleep(wait);
      const target = targets[i % targets.length]!;
      const want = (expected.get(target.connectionId) ?? 0) + 1;
      expected.set(target.connectionId, want);
      pending.push({ connectionId: target.connectionId, want, at: performance.now() });
      h.sandbox.control.addItem(PROFILE.provider, target.accountId, PROFILE.dataset, {});
    }
    const deadline = performance.now() + 120_000;
    while (pending.length > 0 && performance.now() < deadline) await sleep(50);
    watching = false;
    const lost = pending.length;
    pending.length = 0;
    await watcher;

    const view = { microsoft: 'subscriptions', google: 'pushChannels', hubspot: 'webhookLog' }[
      PROFILE.provider
    ];
    const sent = targets.flatMap(
      (t) =>
        (h.sandbox.control.providerOp(PROFILE.provider, t.accountId, view, {}) as { sent: SentRecord[] })
          .sent,
    );
    const delivery = sent
      .flatMap((s) => (s.status === PROFILE.ok && s.state !== 'sync' && s.tookMs !== null ? [s.tookMs] : []))
      .sort((a, b) => a - b);
    visible.sort((a, b) => a - b);
    const [p50, p99] = [percentile(visible, 50), percentile(visible, 99)];
    console.log(
      `delivery (change → connect-api ${PROFILE.ok}) p50 ms ${percentile(delivery, 50).toFixed(1)}  p99 ms ${percentile(delivery, 99).toFixed(1)} (${delivery.length} notifications)`,
    );
    console.log(
      `change → row visible p50 ms ${p50.toFixed(0)}  p99 ms ${p99.toFixed(0)}  (${visible.length} of ${CHANGES}, ${lost} not visible in time; targets p50 < 1000, p99 < 3000 at delay 0)`,
    );
    console.log(`ratio p50 ${(p50 / percentile(delivery, 50)).toFixed(1)} (visible ÷ delivery)`);
    console.log(
      `rss-mb ${peakRssMb(apps[0]!.child.pid!)} (connect-api), ${peakRssMb(apps[1]!.child.pid!)} (worker), ${peakRssMb(apps[2]!.child.pid!)} (scheduler)`,
    );
    console.log(
      `summary: ${args.provider}, push delay ${DELAY} ms, change → row p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms over ${visible.length} changes, ${CONNECTIONS} connections`,
    );
  } finally {
    await world.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
