import type { Env } from './schema';

export interface SchedulerConfig {
  tickMs: number;
  /** Rows claimed per transaction (and jobs per addBulk). */
  batchSize: number;
  /** Same interval the worker applies after a completed sync, so both agree on "due". */
  syncIntervalMs: number;
  /** The poll interval while a healthy push channel covers a resource (docs/push.md). */
  pushedIntervalMs: number;
  jitterRatio: number;
  tokenRefreshMarginMs: number;
  /** Completeness audit interval per resource; 0: no audits are enqueued. */
  auditIntervalMs: number;
  http: { host: string; port: number };
  /** How often the fleet's figures (queues, connections by status, freshness) are read for /metrics. */
  fleetMetricsMs: number;
  /** The outbox relay (packages/outbox): poll interval, batch size, longest backoff. */
  outbox: { pollMs: number; batchSize: number; maxBackoffMs: number };
  /** Warn the CRM this long before a refresh token is known to die; 0: no warnings. */
  expiryWarningLeadMs: number;
}

export function schedulerConfig(env: Env): SchedulerConfig {
  return {
    tickMs: env.SCHEDULER_TICK_MS,
    batchSize: env.SCHEDULER_BATCH_SIZE,
    syncIntervalMs: env.SYNC_INCREMENTAL_INTERVAL_MS,
    pushedIntervalMs: env.SYNC_PUSHED_INTERVAL_MS,
    jitterRatio: env.SYNC_INTERVAL_JITTER_RATIO,
    tokenRefreshMarginMs: env.TOKEN_REFRESH_MARGIN_MS,
    auditIntervalMs: env.AUDIT_INTERVAL_MS,
    http: { host: env.SCHEDULER_HTTP_HOST, port: env.SCHEDULER_HTTP_PORT },
    fleetMetricsMs: env.SCHEDULER_FLEET_METRICS_MS,
    expiryWarningLeadMs: env.EXPIRY_WARNING_DAYS * 86_400_000,
    outbox: {
      pollMs: env.OUTBOX_RELAY_POLL_MS,
      batchSize: env.OUTBOX_RELAY_BATCH_SIZE,
      maxBackoffMs: env.OUTBOX_RELAY_MAX_BACKOFF_MS,
    },
  };
}
