// npm run bench:proxy -- [--calls 2000] [--warm-up 3000] [--seconds 5] [--concurrency 16] [--seed 20261202]
//
// What the token broker's proxy (issue 21, docs/token-broker.md) adds to a provider call: connect-api runs as its
// own process (apps/connect-api/src/main.ts, as production runs it) over a temporary database and Redis prefix,
// the provider sandbox in this process. The same Gmail messages.list call goes straight to the sandbox with the
// connection's token (the ceiling) and through /v1/proxy, alternating call by call so the machine's noise falls on
// both alike; then each is driven for --seconds at --concurrency for throughput.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { connectSandboxAccount } from '@crm-sync/connections/testing';
import { appsUnderTest } from './lib/appsUnderTest';
import { cpuMs } from './lib/cpu';
import { peakRssMb } from './lib/rss';

const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '2000' },
    'warm-up': { type: 'string', default: '3000' },
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '16' },
    seed: { type: 'string', default: '20261202' },
  },
});
const CALLS = Number(args.calls);
const SECONDS = Number(args.seconds);
const CONCURRENCY = Number(args.concurrency);
const SEED = Number(args.seed);
const SECRET = randomBytes(24).toString('hex');
const PURPOSE = 'bench';
const PATH = '/gmail/v1/users/me/messages?maxResults=10';
// connect-api runs for days: the figures are of a process whose hot path V8 has optimised, which here takes a few
// thousand calls (with 50 calls of warm-up, connect-api spent 4.5 ms of CPU per call; after 8,000, 2.9 ms).
const WARM_UP = Number(args['warm-up']);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => n.toFixed(3);

async function timed(call: () => Promise<Response>): Promise<number> {
  const start = process.hrtime.bigint();
  const response = await call();
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`call answered ${response.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Calls completed per second by `concurrency` loops over `seconds`. */
async function throughput(call: () => Promise<Response>): Promise<{ rate: number; calls: number }> {
  const until = Date.now() + SECONDS * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < until) {
        await timed(call);
        done += 1;
      }
    }),
  );
  return { rate: done / SECONDS, calls: done };
}

async function main(): Promise<void> {
  const world = await appsUnderTest('proxy');
  const { h, baseUrl } = world;
  const sandboxHost = new URL(h.sandbox.urls.google).host;
  const { connectionId } = await connectSandboxAccount(h, {
    provider: 'google',
    email: `bench-${SEED}@example.com`,
    resources: ['mail'],
    seed: SEED,
  });
  const stored = (await h.deps.credentials.load(connectionId))!;
  await world.reseal(connectionId);
  const [{ granted_scopes: scopes }] = await h.db.dataSource.query<Array<{ granted_scopes: string[] }>>(
    `SELECT granted_scopes FROM connections WHERE id = $1`,
    [connectionId],
  );
  const [app] = await world.start(['connect-api'], {
    SERVICE_TOKENS: `bench:${SECRET}:*`,
    // Counted as in production (a Redis round trip per call), but high enough never to refuse a bench call.
    PROXY_RATE_LIMIT_PER_MINUTE: String(1_000_000_000),
    SERVICE_POLICIES: JSON.stringify({
      bench: {
        providers: ['google'],
        purposes: [PURPOSE],
        scopes,
        proxyPaths: { google: ['/gmail/v1/users/me/messages'] },
      },
    }),
    // The callouts' share of the connection's provider requests, lifted like the rate limit above: the sandbox
    // throttles nobody, and the bench measures the proxy, not the budget.
    PROVIDER_REQUEST_BUDGET_FACTOR: String(1_000_000),
  });
  try {
    const direct = () =>
      fetch(`${h.sandbox.urls.google}${PATH}`, {
        headers: { authorization: `Bearer ${stored.tokens.accessToken}` },
      });
    const proxied = () =>
      fetch(`${baseUrl}/v1/proxy/${connectionId}/${sandboxHost}${PATH}`, {
        headers: { authorization: `Bearer ${SECRET}`, 'crm-sync-purpose': PURPOSE },
      });
    console.log(
      `seed ${SEED}, calls ${CALLS} after ${WARM_UP} of warm-up, concurrency ${CONCURRENCY} for ${SECONDS} s`,
    );
    for (let i = 0; i < WARM_UP; i += 1) await Promise.all([timed(direct), timed(proxied)]); // warm both paths

    const directMs: number[] = [];
    const proxiedMs: number[] = [];
    const pid = app.child.pid!;
    const cpuBefore = cpuMs(pid);
    for (let i = 0; i < CALLS; i += 1) {
      // Alternate which goes first, so neither always runs on a warmer cache.
      if (i % 2 === 0) {
        directMs.push(await timed(direct));
        proxiedMs.push(await timed(proxied));
      } else {
        proxiedMs.push(await timed(proxied));
        directMs.push(await timed(direct));
      }
    }
    const cpuPerCall = (cpuMs(pid) - cpuBefore) / CALLS;
    directMs.sort((a, b) => a - b);
    proxiedMs.sort((a, b) => a - b);
    const added50 = percentile(proxiedMs, 50) - percentile(directMs, 50);
    const added99 = percentile(proxiedMs, 99) - percentile(directMs, 99);
    console.log(`direct p50 ms ${ms(percentile(directMs, 50))}  p99 ms ${ms(percentile(directMs, 99))}`);
    console.log(`proxied p50 ms ${ms(percentile(proxiedMs, 50))}  p99 ms ${ms(percentile(proxiedMs, 99))}`);
    console.log(`added p50 ms ${ms(added50)} (target < 2)`);
    console.log(`added p99 ms ${ms(added99)}`);
    console.log(
      `ratio p50 ${(percentile(proxiedMs, 50) / percentile(directMs, 50)).toFixed(2)} (proxied ÷ direct)`,
    );
    // Each call waits for this CPU time in connect-api on top of its round trips: the part of the added latency
    // that the machine's load hardly changes.
    console.log(`connect-api cpu ms per proxied call ${ms(cpuPerCall)} (one at a time)`);

    const directRate = (await throughput(direct)).rate;
    const { rate: proxiedRate, calls: drivenCalls } = await throughput(proxied);
    const proxiedCalls = WARM_UP + CALLS + drivenCalls;
    console.log(`direct calls/s ${directRate.toFixed(0)}`);
    console.log(`proxied calls/s ${proxiedRate.toFixed(0)}`);
    console.log(`ratio throughput ${(proxiedRate / directRate).toFixed(2)} (proxied ÷ direct calls/s)`);
    console.log(`rss-mb ${peakRssMb(app.child.pid!)} (connect-api)`);
    // Counted after connect-api stopped: proxy_call lines are written in batches, the last ones on shutdown.
    await app.stop();
    const [{ n: audited }] = await h.db.dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM audit_events WHERE type = 'proxy_call'`,
    );
    console.log(`check audit rows ${audited} (one per proxied call: ${proxiedCalls})`);
    console.log(
      `summary: proxy adds ${ms(added50)} ms at p50 (${added50 < 2 ? 'within' : 'over'} the 2 ms target), ` +
        `${ms(added99)} ms at p99, ${proxiedRate.toFixed(0)} proxied calls/s`,
    );
  } finally {
    await world.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
