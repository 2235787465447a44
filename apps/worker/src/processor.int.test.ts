import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger, createMetrics } from '@crm-sync/observability';
import { createRedisConnection, JobProducer, SYNC_QUEUES } from '@crm-sync/queue';
import type { RoundReport, SliceOutcome, SliceRequest } from '@crm-sync/sync-engine';
import { createTestRedis, type TestRedis } from '@crm-sync/testing';
import { QueueEvents, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createSyncProcessor } from './processor';
import { startWorkers } from './workers';

const QUEUE = SYNC_QUEUES.hubspot;
const zero = {
  pages: 1,
  added: 0,
  updated: 0,
  unchanged: 0,
  deleted: 0,
  swept: 0,
  sanitized: 0,
  quarantined: 0,
};
const round: RoundReport = {
  mode: 'incremental',
  counts: { added: 0, updated: 0, unchanged: 0, deleted: 0, swept: 0, sanitized: 0, quarantined: 0 },
  pages: 1,
  durationMs: 5,
};

let redis: TestRedis;
let connection: Redis;
let producer: JobProducer;
let events: QueueEvents;
let eventsConnection: Redis;
let worker: Worker | undefined;
const calls: string[] = [];
/** Outcomes each connection's slices return, in order; the last one repeats. */
/** Stands for a provider call that never answers. */
const HANG = 'hang' as const;
const script = new Map<string, Array<SliceOutcome | typeof HANG>>();

async function runSlice(request: SliceRequest): Promise<SliceOutcome> {
  calls.push(request.connectionId);
  const outcomes = script.get(request.connectionId)!;
  const next = outcomes.length > 1 ? outcomes.shift()! : outcomes[0]!;
  return next === HANG ? new Promise<SliceOutcome>(() => undefined) : next;
}

beforeAll(async () => {
  redis = await createTestRedis();
  connection = createRedisConnection({ url: redis.url, role: 'worker' });
  producer = new JobProducer({ connection, prefix: redis.prefix });
  eventsConnection = connection.duplicate();
  events = new QueueEvents(QUEUE, { connection: eventsConnection, prefix: redis.prefix });
  await events.waitUntilReady();
});
afterEach(async () => {
  await worker?.close();
  worker = undefined;
  calls.length = 0;
});
afterAll(async () => {
  await events.close();
  await eventsConnection.quit();
  await producer.close();
  await connection.quit();
  await redis.cleanup();
});

let metrics = createMetrics({ collectDefaults: false });

function start(concurrency = 1, logger = createLogger({ name: 'test', level: 'silent' })): void {
  metrics = createMetrics({ collectDefaults: false });
  [worker] = startWorkers({
    connection,
    prefix: redis.prefix,
    queues: [QUEUE],
    concurrency,
    limiters: {
      'sync-google': { max: 1000, durationMs: 1000 },
      'sync-microsoft': { max: 1000, durationMs: 1000 },
      'sync-hubspot': { max: 1000, durationMs: 1000 },
    },
    stalledIntervalMs: 5_000,
    lockDurationMs: 5_000,
    processors: {
      [QUEUE]: () =>
        createSyncProcessor({ queue: QUEUE, sliceMs: 100, stuckAfterMs: 300, runSlice, logger, metrics }),
    },
  });
}

async function enqueue(outcomes: Array<SliceOutcome | typeof HANG>): Promise<string> {
  const connectionId = randomUUID();
  script.set(connectionId, outcomes);
  return producer.enqueue(
    QUEUE,
    'contacts',
    { connectionId, resource: 'contacts' },
    { jobId: `${connectionId}.contacts` },
  );
}

const job = (id: string) => producer.queue(QUEUE).getJob(id);

describe('sync processor on a real queue', () => {
  it('re-queues a continuation behind other work and completes when caught up, without failed attempts', async () => {
    const big = await enqueue([
      { kind: 'more', counts: { ...zero, added: 5 } },
      { kind: 'more', counts: { ...zero, added: 5 } },
      { kind: 'caught_up', counts: zero, round, followUp: false },
    ]);
    const small = await enqueue([
      { kind: 'caught_up', counts: { ...zero, added: 1 }, round, followUp: false },
    ]);
    start();
    const bigJob = (await job(big))!;
    await bigJob.waitUntilFinished(events, 10_000);
    const [bigId, smallId] = [big.split('.')[0], small.split('.')[0]];
    // The big job's second slice comes after the small job: time slicing, not run-to-completion.
    expect(calls).toEqual([bigId, smallId, bigId, bigId]);
    const done = (await job(big))!;
    expect(await done.getState()).toBe('completed');
    // Completing counts the one attempt that finished; the two continuations did not count.
    expect(done.attemptsMade).toBe(1);
    expect(done.returnvalue).toEqual({ outcome: 'caught_up', counts: zero });
  });

  it('runs the follow-up round a notice asked for at once, in the same job, without a failed attempt', async () => {
    const id = await enqueue([
      { kind: 'caught_up', counts: { ...zero, added: 1 }, round, followUp: true },
      { kind: 'caught_up', counts: zero, round, followUp: false },
    ]);
    start();
    await (await job(id))!.waitUntilFinished(events, 10_000);
    expect(calls).toEqual([id.split('.')[0], id.split('.')[0]]);
    const done = (await job(id))!;
    expect(await done.getState()).toBe('completed');
    expect(done.attemptsMade).toBe(1);
  });

  it('waits out a rate limit without counting an attempt', async () => {
    const id = await enqueue([
      { kind: 'rate_limited', retryAfterMs: 400, counts: zero },
      { kind: 'caught_up', counts: zero, round, followUp: false },
    ]);
    start();
    const started = Date.now();
    await (await job(id))!.waitUntilFinished(events, 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    const done = (await job(id))!;
    expect(done.attemptsMade).toBe(1);
    expect(await done.getState()).toBe('completed');
  });

  it('fails a slice stuck past its deadline as an attempt, so the sync is retried instead of stalling', async () => {
    const id = await enqueue([HANG, { kind: 'caught_up', counts: zero, round, followUp: false }]);
    start();
    const failed = new Promise<string>((resolve) =>
      worker!.once('failed', (_job, error) => resolve(error.name)),
    );
    expect(await failed).toBe('SliceStuckError');
    const retried = (await job(id))!;
    expect(retried.attemptsMade).toBe(1);
    expect(await retried.getState()).toBe('delayed');
    expect(await metrics.render()).toMatch(/crm_sync_slices_total\{queue="sync-hubspot",outcome="stuck"\} 1/);
  });

  it('fails a transient slice as an attempt so BullMQ retries it with backoff', async () => {
    const id = await enqueue([
      { kind: 'transient', reason: 'transient: HTTP 503', retryAt: new Date(), counts: zero },
      { kind: 'caught_up', counts: zero, round, followUp: false },
    ]);
    start();
    const failed = new Promise<string>((resolve) =>
      worker!.once('failed', (_job, error) => resolve(error.message)),
    );
    expect(await failed).toBe('transient: HTTP 503');
    const retried = (await job(id))!;
    expect(retried.attemptsMade).toBe(1);
    expect(await retried.getState()).toBe('delayed');
  });

  it.each<SliceOutcome>([
    { kind: 'skipped', reason: 'disabled', counts: zero },
    { kind: 'disabled', reason: 'insufficient scope', counts: zero },
    { kind: 'auth_revoked', counts: zero },
  ])('completes on $kind', async (outcome) => {
    const id = await enqueue([outcome]);
    start();
    await (await job(id))!.waitUntilFinished(events, 10_000);
    expect((await job(id))!.returnvalue).toMatchObject({ outcome: outcome.kind });
    expect(await metrics.render()).toContain(
      `crm_sync_slices_total{queue="sync-hubspot",outcome="${outcome.kind}"} 1`,
    );
  });

  it('logs one info line per finished round, with its figures, and nothing per slice at info', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const finished = { ...round, mode: 'full' as const, pages: 3, counts: { ...round.counts, swept: 2 } };
    const id = await enqueue([
      { kind: 'more', counts: { ...zero, added: 5 } },
      { kind: 'caught_up', counts: zero, round: finished, followUp: false },
    ]);
    start(1, createLogger({ name: 'test', level: 'info', destination }));
    await (await job(id))!.waitUntilFinished(events, 10_000);
    expect(lines.filter((l) => l.level === 30)).toEqual([
      expect.objectContaining({
        msg: 'sync round finished',
        connectionId: id.split('.')[0],
        resource: 'contacts',
        mode: 'full',
        added: 0,
        swept: 2,
        quarantined: 0,
        pages: 3,
        durationMs: 5,
      }),
    ]);
  });

  it('warns, with counts only, when a round made values safe or quarantined items', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const poisoned = { ...round, counts: { ...round.counts, sanitized: 1, quarantined: 2 } };
    const id = await enqueue([{ kind: 'caught_up', counts: zero, round: poisoned, followUp: false }]);
    start(1, createLogger({ name: 'test', level: 'info', destination }));
    await (await job(id))!.waitUntilFinished(events, 10_000);
    expect(lines.filter((l) => l.level === 40)).toEqual([
      expect.objectContaining({ resource: 'contacts', sanitized: 1, quarantined: 2 }),
    ]);
  });

  it('fails a payload that does not parse once, without retries', async () => {
    const added = await producer
      .queue(QUEUE)
      .add('contacts', { connectionId: 'not-a-uuid', resource: 'contacts' }, { attempts: 5 });
    start();
    const failed = new Promise<string>((resolve) =>
      worker!.once('failed', (_job, error) => resolve(error.name)),
    );
    expect(await failed).toBe('UnrecoverableError');
    expect(await (await job(added.id!))!.getState()).toBe('failed');
    expect(calls).toEqual([]);
  });
});
