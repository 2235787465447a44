// npm run bench:revocation -- [--notices 30] [--messages 100000] [--seed 20261202]
//
// Time from a provider revocation notice to the credentials deleted (issue 20): connect-api, the worker and the
// scheduler (which relays the outbox) run as their own processes (as production runs them) over a temporary
// database and Redis prefix; the sandbox, in this process, signs a Google RISC tokens-revoked event and POSTs it to
// connect-api, which verifies it and ends the connection (credentials deleted) in the transaction that claims it
// (docs/providers/notices.md); the worker and the scheduler are in the path only of the busy sync. Each notice is
// timed from the POST to the moment the credentials row is gone (polled every 5 ms). The ceiling, measured for the
// same notices, is the HTTP delivery alone (POST → 202). Measured twice: the worker idle, and with a --messages Gmail sync in flight;
// the first, cold notice (discovery of Google's keys) is printed apart.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { connectSandboxAccount, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { appsUnderTest, type AppsUnderTest } from './lib/appsUnderTest';
import { peakRssMb } from './lib/rss';

const { values: args } = parseArgs({
  options: {
    notices: { type: 'string', default: '30' },
    messages: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '20261202' },
  },
});
const NOTICES = Number(args.notices);
const MESSAGES = Number(args.messages);
const SEED = Number(args.seed);
const SECRET = randomBytes(24).toString('hex');

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

let accounts = 0;

/** Connects an account in-process and seals its tokens again under the processes' key. */
async function connected(world: AppsUnderTest, email: string, messages: number) {
  accounts += 1;
  const { connectionId, account } = await connectSandboxAccount(world.h, {
    provider: 'google',
    email,
    resources: ['mail'],
    sizes: { messages },
    seed: SEED + accounts,
  });
  await world.reseal(connectionId);
  return { connectionId, accountId: account.id };
}

/** One notice: [delivery ms (the ceiling), notice → credentials deleted ms]. */
async function revoke(
  h: ConnectionsHarness,
  url: string,
  target: { connectionId: string; accountId: string },
) {
  const start = process.hrtime.bigint();
  const sent = (await h.sandbox.control.providerOp('google', target.accountId, 'risc', {
    url,
    event: 'tokens-revoked',
  })) as { status: number };
  const delivered = since(start);
  if (sent.status !== 202) throw new Error(`connect-api answered ${sent.status}`);
  for (;;) {
    const rows = await h.db.dataSource.query(`SELECT 1 FROM credentials WHERE connection_id = $1`, [
      target.connectionId,
    ]);
    if (rows.length === 0) return [delivered, since(start)] as const;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function measure(
  h: ConnectionsHarness,
  url: string,
  targets: Array<{ connectionId: string; accountId: string }>,
) {
  const delivery: number[] = [];
  const deleted: number[] = [];
  for (const target of targets) {
    const [d, e] = await revoke(h, url, target);
    delivery.push(d);
    deleted.push(e);
  }
  delivery.sort((a, b) => a - b);
  deleted.sort((a, b) => a - b);
  return { delivery, deleted };
}

function report(label: string, target: number, m: { delivery: number[]; deleted: number[] }): string {
  const p50 = percentile(m.deleted, 50);
  const p99 = percentile(m.deleted, 99);
  console.log(
    `${label} delivery (POST → 202) p50 ms ${percentile(m.delivery, 50).toFixed(1)}  p99 ms ${percentile(m.delivery, 99).toFixed(1)}`,
  );
  console.log(
    `${label} notice → credentials deleted p50 ms ${p50.toFixed(1)}  p99 ms ${p99.toFixed(1)} (target p99 < ${target} ms)`,
  );
  console.log(`${label} ratio p50 ${(p50 / percentile(m.delivery, 50)).toFixed(2)} (deleted ÷ delivery)`);
  return `${label} p99 ${p99.toFixed(0)} ms (${p99 < target ? 'within' : 'over'} ${target} ms)`;
}

async function main(): Promise<void> {
  const world = await appsUnderTest('revocation');
  const { h, baseUrl } = world;
  console.log(`seed ${SEED}, notices ${NOTICES} per phase, busy sync of ${MESSAGES} messages`);
  const idle = [];
  const busy = [];
  for (let i = 0; i < NOTICES; i += 1) idle.push(await connected(world, `idle-${i}@example.com`, 1));
  for (let i = 0; i < NOTICES; i += 1) busy.push(await connected(world, `busy-${i}@example.com`, 1));
  const big = await connected(world, 'big-mailbox@example.com', MESSAGES);
  const warmUp = await connected(world, 'warm-up@example.com', 1);

  // No sync of the setup's accounts competes with the measurement: their connection.connected events are dropped
  // before the relay starts, and no round falls due while the bench runs (the busy sync is asked for below).
  await h.db.dataSource.query(`DELETE FROM outbox`);
  await h.db.dataSource.query(`UPDATE sync_states SET next_sync_at = now() + interval '1 day'`);
  try {
    const apps = await world.start(['connect-api', 'worker', 'scheduler'], {
      SERVICE_TOKENS: `bench:${SECRET}:*`,
      // The sandbox throttles nobody: the sync runs at the pace the bench measures, not a real per-user limit.
      PROVIDER_REQUEST_BUDGET_FACTOR: '1000000',
    });
    const url = `${baseUrl}/v1/webhooks/google/risc`;
    // The first notice reads the RISC configuration document and the key set (kept an hour) and warms both
    // processes; reported on its own, not in the percentiles.
    const [coldDelivery, coldDeleted] = await revoke(h, url, warmUp);
    console.log(
      `cold first notice: delivery ms ${coldDelivery.toFixed(1)}, credentials deleted ms ${coldDeleted.toFixed(1)}`,
    );
    const idleFigures = await measure(h, url, idle);

    const requested = await fetch(`${baseUrl}/v1/connections/${big.connectionId}/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId: 't1', full: true }),
    });
    if (requested.status !== 202) throw new Error(`sync request answered ${requested.status}`);
    const rows = async () =>
      (
        await h.db.dataSource.query<Array<{ n: number }>>(
          `SELECT count(*)::int AS n FROM emails WHERE connection_id = $1`,
          [big.connectionId],
        )
      )[0]!.n;
    while ((await rows()) === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    const before = await rows();
    const busyFigures = await measure(h, url, busy);
    const after = await rows();
    console.log(
      `busy sync rows ${before} → ${after} of ${MESSAGES} while measuring (in flight: ${after < MESSAGES})`,
    );
    const summary = [report('idle', 2000, idleFigures), report('busy', 10000, busyFigures)];
    console.log(
      `rss-mb ${peakRssMb(apps[0]!.child.pid!)} (connect-api), ${peakRssMb(apps[1]!.child.pid!)} (worker)`,
    );
    console.log(`summary: notice → credentials deleted, ${summary.join('; ')}`);
  } finally {
    await world.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
