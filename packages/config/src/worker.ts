import { WORKER_QUEUE_NAMES, type SyncQueueName, type WorkerQueueName } from '@crm-sync/core';
import { ConfigError } from './errors';
import type { Env } from './schema';

export interface RateLimit {
  max: number;
  durationMs: number;
}

export interface WorkerConfig {
  queues: WorkerQueueName[];
  concurrency: number;
  http: { host: string; port: number };
  /** BullMQ limiter per sync queue. */
  limiters: Record<SyncQueueName, RateLimit>;
  stalledIntervalMs: number;
  lockDurationMs: number;
  sliceMs: number;
  stuckAfterMs: number;
  incrementalIntervalMs: number;
  /** The poll interval while a healthy push channel covers a resource (docs/push.md). */
  pushedIntervalMs: number;
  intervalJitterRatio: number;
  initialWindowDays: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  tokenRefreshMarginMs: number;
  /** The share of each connection's provider requests kept for callouts; the sync uses the rest. */
  calloutShare: number;
  /** Multiplies the providers' request budgets (PROVIDER_REQUEST_BUDGET_FACTOR). */
  requestBudgetFactor: number;
  /** The completeness audit's budget: calls per run, and per provider per minute across workers. */
  audit: { maxCallsPerRun: number; callsPerMinute: number };
  /** Push channels (issue 25, docs/push.md); `intervalMs` 0: off. */
  push: {
    intervalMs: number;
    lifetimeMs: number;
    renewBeforeMs: number;
    leaseMs: number;
    batchSize: number;
    retryBaseMs: number;
    maxRetryMs: number;
  };
}

export function workerConfig(env: Env): WorkerConfig {
  if (env.WORKER_LOCK_DURATION_MS > env.WORKER_STALLED_INTERVAL_MS * 10) {
    // Not fatal in BullMQ, but a lock that outlives many stalled checks hides dead workers for that long.
    throw new ConfigError('WORKER_LOCK_DURATION_MS', 'must be at most ten stalled intervals');
  }
  return {
    queues: parseQueues(env.WORKER_QUEUES),
    concurrency: env.WORKER_CONCURRENCY,
    http: { host: env.WORKER_HTTP_HOST, port: env.WORKER_HTTP_PORT },
    limiters: {
      'sync-google': parseLimit('WORKER_LIMIT_GOOGLE', env.WORKER_LIMIT_GOOGLE),
      'sync-microsoft': parseLimit('WORKER_LIMIT_MICROSOFT', env.WORKER_LIMIT_MICROSOFT),
      'sync-hubspot': parseLimit('WORKER_LIMIT_HUBSPOT', env.WORKER_LIMIT_HUBSPOT),
    },
    stalledIntervalMs: env.WORKER_STALLED_INTERVAL_MS,
    lockDurationMs: env.WORKER_LOCK_DURATION_MS,
    sliceMs: env.SYNC_SLICE_MS,
    stuckAfterMs: env.SYNC_STUCK_AFTER_MS,
    incrementalIntervalMs: env.SYNC_INCREMENTAL_INTERVAL_MS,
    pushedIntervalMs: env.SYNC_PUSHED_INTERVAL_MS,
    intervalJitterRatio: env.SYNC_INTERVAL_JITTER_RATIO,
    initialWindowDays: env.SYNC_INITIAL_WINDOW_DAYS,
    backoffBaseMs: env.SYNC_BACKOFF_BASE_MS,
    backoffMaxMs: env.SYNC_BACKOFF_MAX_MS,
    tokenRefreshMarginMs: env.TOKEN_REFRESH_MARGIN_MS,
    calloutShare: env.PROVIDER_CALLOUT_SHARE,
    requestBudgetFactor: env.PROVIDER_REQUEST_BUDGET_FACTOR,
    audit: { maxCallsPerRun: env.AUDIT_MAX_CALLS_PER_RUN, callsPerMinute: env.AUDIT_CALLS_PER_MINUTE },
    push: {
      intervalMs: env.PUSH_KEEPER_INTERVAL_MS,
      lifetimeMs: env.PUSH_CHANNEL_LIFETIME_MS,
      renewBeforeMs: env.PUSH_RENEW_BEFORE_MS,
      // One provider call per row; a worker that dies mid-call frees its rows after this.
      leaseMs: 60_000,
      batchSize: 100,
      // A failed open or renewal: 1 minute, doubling, at most 1 hour (the resource is polled meanwhile).
      retryBaseMs: 60_000,
      maxRetryMs: 3_600_000,
    },
  };
}

function parseQueues(raw: string): WorkerQueueName[] {
  const names = [
    ...new Set(
      raw
        .split(',')
        .map((q) => q.trim())
        .filter(Boolean),
    ),
  ];
  if (names.length === 0) throw new ConfigError('WORKER_QUEUES', 'name at least one queue');
  for (const name of names) {
    if (!(WORKER_QUEUE_NAMES as readonly string[]).includes(name)) {
      throw new ConfigError('WORKER_QUEUES', `"${name}" is not one of ${WORKER_QUEUE_NAMES.join(', ')}`);
    }
  }
  return names as WorkerQueueName[];
}

function parseLimit(variable: string, raw: string): RateLimit {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const max = Number(match?.[1]);
  const durationMs = Number(match?.[2]);
  if (!match || max < 1 || durationMs < 1) {
    throw new ConfigError(variable, 'must look like <jobs>/<milliseconds>, e.g. 50/1000');
  }
  return { max, durationMs };
}
