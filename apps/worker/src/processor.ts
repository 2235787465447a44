import { InvalidPayloadError, parsePayload } from '@crm-sync/core';
import type { Logger, Metrics } from '@crm-sync/observability';
import { JOB_CATALOG, type CatalogQueue, type ParsedJobPayload, type SYNC_QUEUES } from '@crm-sync/queue';
import type { SliceCounts, SliceOutcome, SliceOutcomeKind, SliceRequest } from '@crm-sync/sync-engine';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';

export type SyncQueue = (typeof SYNC_QUEUES)[keyof typeof SYNC_QUEUES];

export interface SyncProcessorDeps {
  queue: SyncQueue;
  sliceMs: number;
  runSlice: (request: SliceRequest) => Promise<SliceOutcome>;
  /**
   * How long past its budget a slice may run before it counts as stuck (a provider call that never answers).
   * A stuck slice fails the attempt, so BullMQ retries it with backoff; if the stuck call ever finishes, its page
   * cannot overwrite newer progress because the engine checks the position it started from.
   */
  stuckAfterMs: number;
  logger: Logger;
  metrics: Metrics;
  now?: () => number;
}

/** What a completed sync job returns (shown in the dashboard). */
export interface SyncJobResult {
  outcome: SliceOutcomeKind;
  reason?: string;
  counts: SliceCounts;
}

/** A slice that ran far past its budget; thrown so the job is retried instead of holding its slot forever. */
export class SliceStuckError extends Error {
  override name = 'SliceStuckError';
}

/** A transient failure: thrown so BullMQ counts an attempt and retries with the catalog's backoff. */
export class SliceRetryError extends Error {
  override name = 'SliceRetryError';
}

/**
 * The processor of a sync queue: one slice per job, then the outcome becomes a BullMQ action. A continuation
 * (`more`) and a rate limit move the job back to delayed and throw DelayedError (BullMQ's "step job"
 * pattern): neither counts as a failed attempt, and a continuation re-enters at the back of the wait list, so
 * a 50k mailbox takes turns with small ones instead of holding a worker slot until it is done.
 */
export function createSyncProcessor(deps: SyncProcessorDeps) {
  const now = deps.now ?? Date.now;
  const slices = deps.metrics.counter({
    name: 'crm_sync_slices_total',
    help: 'Sync slices by queue and outcome',
    labelNames: ['queue', 'outcome'] as const,
  });
  const items = deps.metrics.counter({
    name: 'crm_sync_items_total',
    help: 'Items written by sync slices, by change',
    labelNames: ['queue', 'change'] as const,
  });
  return async (job: Job, token?: string): Promise<SyncJobResult> => {
    const data = parseJob(deps.queue, job.data);
    const outcome = await withDeadline(
      deps.runSlice({ ...data, budgetMs: deps.sliceMs }),
      deps.sliceMs + deps.stuckAfterMs,
      () => {
        slices.inc({ queue: deps.queue, outcome: 'stuck' });
        deps.logger.warn({ jobId: job.id, ...data }, 'slice stuck past its deadline; retrying');
        return new SliceStuckError(
          `slice still running ${deps.sliceMs + deps.stuckAfterMs} ms after it started`,
        );
      },
    );
    slices.inc({ queue: deps.queue, outcome: outcome.kind });
    for (const change of ['added', 'updated', 'deleted', 'swept'] as const) {
      if (outcome.counts[change] > 0) items.inc({ queue: deps.queue, change }, outcome.counts[change]);
    }
    deps.logger.debug(
      { jobId: job.id, ...data, outcome: outcome.kind, counts: outcome.counts },
      'slice done',
    );
    // One line per finished round, whatever number of slices it took; slices and pages stay at debug.
    if (outcome.kind === 'caught_up') {
      const { mode, counts, pages, durationMs } = outcome.round;
      const round = {
        connectionId: data.connectionId,
        resource: data.resource,
        mode,
        ...counts,
        pages,
        durationMs,
      };
      deps.logger.info(round, 'sync round finished');
      // Counts only, never the items: an operator looks in sync_quarantine for which ones.
      if (counts.sanitized + counts.quarantined > 0)
        deps.logger.warn(round, 'sync round stored items with unsafe values made safe, or quarantined items');
    }
    await job.updateProgress({ outcome: outcome.kind, ...outcome.counts });
    return act(job, token, outcome, now);
  };
}

/** Re-parses a payload with the catalog's schema; a malformed one fails once, unrecoverably. */
export function parseJob<Q extends CatalogQueue>(queue: Q, raw: unknown): ParsedJobPayload<Q> {
  try {
    return parsePayload(JOB_CATALOG[queue].schema, raw, `${queue} job`) as ParsedJobPayload<Q>;
  } catch (error) {
    // A malformed payload will not parse on a retry either: fail it once, visibly.
    if (error instanceof InvalidPayloadError) throw new UnrecoverableError(error.message);
    throw error;
  }
}

async function act(
  job: Job,
  token: string | undefined,
  outcome: SliceOutcome,
  now: () => number,
): Promise<SyncJobResult> {
  switch (outcome.kind) {
    case 'more':
      await job.moveToDelayed(now(), token);
      throw new DelayedError();
    case 'rate_limited':
      await job.moveToDelayed(now() + outcome.retryAfterMs, token);
      throw new DelayedError();
    case 'transient':
      throw new SliceRetryError(outcome.reason);
    case 'skipped':
    case 'disabled':
      return { outcome: outcome.kind, reason: outcome.reason, counts: outcome.counts };
    case 'caught_up':
      // A round was asked for while this one ran (a provider notice): its one follow-up goes to the back of the
      // queue now, in this job, so the notices that come meanwhile keep being deduplicated into it.
      if (outcome.followUp) {
        await job.moveToDelayed(now(), token);
        throw new DelayedError();
      }
      return { outcome: outcome.kind, counts: outcome.counts };
    case 'auth_revoked':
      return { outcome: outcome.kind, counts: outcome.counts };
  }
}

async function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
