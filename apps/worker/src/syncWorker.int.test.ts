import { waitFor } from '@crm-sync/testing';
import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { createLogger, createMetrics } from '@crm-sync/observability';
import { createRedisConnection, SYNC_QUEUES } from '@crm-sync/queue';
import { runSlice } from '@crm-sync/sync-engine';
import {
  connectSandboxAccount,
  engineDeps,
  sandboxSnapshot,
  tableSnapshot,
} from '@crm-sync/sync-engine/testing';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createSyncProcessor } from './processor';
import { enqueueSync, sizeFromEnv, workerCase } from '../test/cases';
import { startWorkers, type Processors } from './workers';

const c = workerCase();
const BIG = sizeFromEnv('FAIRNESS_BIG_SIZE', 50_000);
const SMALL = sizeFromEnv('FAIRNESS_SMALL_SIZE', 100);
const SMALL_COUNT = 20;

let h: ConnectionsHarness;
let connection: Redis;
let workers: Worker[] = [];
beforeAll(async () => {
  h = await createConnectionsHarness();
  connection = createRedisConnection({ url: h.redis.url, role: 'worker' });
});
afterEach(async () => {
  await Promise.all(workers.map((w) => w.close()));
  workers = [];
  // The large mailbox of the fairness test is left unfinished on purpose; drop it so it does not share the
  // next test's worker.
  await h.deps.producer.queue(SYNC_QUEUES[c.provider]).obliterate({ force: true });
});
afterAll(async () => {
  await connection.quit();
  await h.close();
});

let metrics = createMetrics({ collectDefaults: false });

function startWorker(concurrency: number, sliceMs: number): void {
  metrics = createMetrics({ collectDefaults: false });
  const logger = createLogger({ name: 'worker-test', level: 'silent' });
  const deps = engineDeps(h);
  const limit = { max: 1000, durationMs: 1000 };
  const queue = SYNC_QUEUES[c.provider];
  workers = startWorkers({
    connection,
    prefix: h.redis.prefix,
    queues: [queue],
    concurrency,
    limiters: { 'sync-google': limit, 'sync-microsoft': limit, 'sync-hubspot': limit },
    stalledIntervalMs: 5_000,
    lockDurationMs: 10_000,
    // A computed key of a union type widens to a string index; the case's queue is the one key.
    processors: {
      [queue]: () =>
        createSyncProcessor({
          queue,
          sliceMs,
          stuckAfterMs: 60_000,
          runSlice: (r) => runSlice(deps, r),
          logger,
          metrics,
        }),
    } as Processors<typeof queue>,
  });
}

const successes = async (ids: string[]) =>
  (await h.db.dataSource.query(
    `SELECT connection_id, last_success_at, phase FROM sync_states WHERE connection_id = ANY($1::uuid[])`,
    [ids],
  )) as Array<{ connection_id: string; last_success_at: Date | null; phase: string | null }>;

describe('sync worker', () => {
  it('time-slices: twenty small mailboxes finish before one large one queued ahead of them', async () => {
    const big = await connectSandboxAccount(h, {
      provider: c.provider,
      email: 'big@example.com',
      sizes: { [c.sandboxResource]: BIG },
      resources: [c.resource],
    });
    const small = [];
    for (let i = 0; i < SMALL_COUNT; i += 1) {
      small.push(
        await connectSandboxAccount(h, {
          provider: c.provider,
          email: `small${i}@example.com`,
          sizes: { [c.sandboxResource]: SMALL },
          resources: [c.resource],
        }),
      );
    }
    await enqueueSync(h, c, big.connectionId);
    for (const s of small) await enqueueSync(h, c, s.connectionId);
    startWorker(2, 250);

    const smallIds = small.map((s) => s.connectionId);
    const finished = await waitFor(
      async () => {
        const rows = await successes(smallIds);
        return rows.every((r) => r.last_success_at) ? rows : undefined;
      },
      { what: 'every small mailbox synced', timeoutMs: 45_000 },
    );
    const [bigState] = await successes([big.connectionId]);
    // Either the big mailbox is still syncing, or it finished after every small one.
    const lastSmall = Math.max(...finished.map((r) => r.last_success_at!.getTime()));
    if (bigState!.last_success_at) expect(bigState!.last_success_at.getTime()).toBeGreaterThan(lastSmall);
    else expect(bigState!.phase).not.toBe('caught_up');
    for (const s of small.slice(0, 3)) {
      expect([...(await tableSnapshot(h, c, s.connectionId)).keys()].sort()).toEqual(
        [...sandboxSnapshot(h, c, s.account.id).keys()].sort(),
      );
    }
    // Connecting 21 accounts and the 45 s wait for the small ones run past jest's 30 s on a loaded machine.
  }, 120_000);

  it('rides out a 429 storm: the job completes with no failed attempt', async () => {
    const { connectionId, account } = await connectSandboxAccount(h, {
      provider: c.provider,
      email: 'storm@example.com',
      sizes: { [c.sandboxResource]: 150 },
      resources: [c.resource],
    });
    h.sandbox.control.addFault({
      provider: c.provider,
      accountId: account.id,
      action: { kind: 'status', status: 429, retryAfterSeconds: 0 },
      next: 4,
    });
    const jobId = await enqueueSync(h, c, connectionId);
    const failures: string[] = [];
    startWorker(1, 5_000);
    workers[0]!.on('failed', (job) => failures.push(job?.id ?? '?'));
    await waitFor(async () => Boolean((await successes([connectionId]))[0]?.last_success_at), {
      what: 'the stormed round to finish',
      timeoutMs: 30_000,
    });
    expect(failures).toEqual([]);
    // The storm was seen: slices ended rate_limited and were delayed, not failed.
    expect(await metrics.render()).toMatch(
      /crm_sync_slices_total\{queue="[^"]+",outcome="rate_limited"\} [1-9]/,
    );
    // The round's last commit comes just before BullMQ marks the job completed: wait for that mark.
    const queue = h.deps.producer.queue(SYNC_QUEUES[c.provider]);
    await waitFor(async () => (await queue.getJob(jobId))?.finishedOn !== undefined, {
      what: 'the stormed job to be marked completed',
    });
    const job = await queue.getJob(jobId);
    // Completed jobs are kept (removeOnComplete by count): one attempt, the one that completed.
    expect(job?.attemptsMade).toBe(1);
    expect([...(await tableSnapshot(h, c, connectionId)).keys()].sort()).toEqual(
      [...sandboxSnapshot(h, c, account.id).keys()].sort(),
    );
  });
});
