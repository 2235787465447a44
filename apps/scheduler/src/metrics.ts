import type { Metrics } from '@crm-sync/observability';
import { outboxStats, type RelayResult } from '@crm-sync/outbox';
import type { QueueStats } from '@crm-sync/queue';
import type { Freshness } from '@crm-sync/sync-states';
import type { TickResult } from '@crm-sync/scheduling';
import type { DataSource } from 'typeorm';

/** Scheduler figures for dashboards: what each tick handed to the queues and how long it took. */
export function tickMetrics(metrics: Metrics): (result: TickResult) => void {
  const enqueued = metrics.counter({
    name: 'crm_sync_scheduler_enqueued_total',
    help: 'Jobs handed to the queues by the scheduler, by kind',
    labelNames: ['kind'],
  });
  const duration = metrics.histogram({
    name: 'crm_sync_scheduler_tick_seconds',
    help: 'Duration of one scheduler tick',
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });
  return (result) => {
    enqueued.inc({ kind: 'sync' }, result.syncsEnqueued);
    enqueued.inc({ kind: 'token_refresh' }, result.refreshesEnqueued);
    enqueued.inc({ kind: 'audit' }, result.auditsEnqueued);
    enqueued.inc({ kind: 'expiry_warning' }, result.expiryWarnings);
    duration.observe(result.durationMs / 1000);
  };
}

/**
 * Outbox figures: events relayed by this relay (`onPass`), and, read from Postgres by `refresh` on a timer of its
 * own (it must keep running while Redis is away and every relay pass fails), how many events wait, how old the
 * oldest is (a growing age means Redis is away or no relay runs) and how many are parked for an operator.
 */
export function outboxMetrics(
  metrics: Metrics,
  db: DataSource,
): { onPass: (result: RelayResult) => void; refresh: () => Promise<void> } {
  const relayed = metrics.counter({
    name: 'crm_sync_outbox_relayed_total',
    help: 'Outbox events handed to the queues by this relay',
  });
  const depth = metrics.gauge({ name: 'crm_sync_outbox_depth', help: 'Outbox events waiting for the relay' });
  const age = metrics.gauge({
    name: 'crm_sync_outbox_oldest_age_seconds',
    help: 'Age of the oldest outbox event waiting for the relay (0 when none waits)',
  });
  const parked = metrics.gauge({
    name: 'crm_sync_outbox_parked',
    help: 'Outbox events their queue schema refuses, set aside for an operator',
  });
  return {
    onPass: (result) => relayed.inc(result.relayed),
    refresh: async () => {
      const stats = await outboxStats(db);
      depth.set(stats.depth);
      age.set(stats.oldestAgeSeconds);
      parked.set(stats.parked);
    },
  };
}

/** Freshness buckets in seconds: a minute to a week, around the 5-minute sync interval. */
export const FRESHNESS_BUCKETS = [60, 300, 600, 1_800, 3_600, 10_800, 43_200, 86_400, 604_800];

/**
 * The fleet's figures that page someone (infra/observability/alerts.yml), read from Postgres and Redis by `refresh`:
 * jobs per queue and state and the oldest waiting job's age, connections by status, and how stale the synced data
 * is. Freshness is a gauge histogram: its `_bucket` series hold the current distribution (each refresh replaces
 * it), so `histogram_quantile` applies to them directly, without `rate`.
 */
export function fleetMetrics(
  metrics: Metrics,
  read: {
    queues: () => Promise<QueueStats[]>;
    connections: () => Promise<Record<string, number>>;
    freshness: () => Promise<Freshness>;
  },
): { refresh: () => Promise<void> } {
  const jobs = metrics.gauge({
    name: 'crm_sync_queue_jobs',
    help: 'Jobs in each queue by state (waiting, active, delayed, failed)',
    labelNames: ['queue', 'state'],
  });
  const oldest = metrics.gauge({
    name: 'crm_sync_queue_oldest_waiting_age_seconds',
    help: 'Age of the oldest job waiting in each queue (0 when none waits)',
    labelNames: ['queue'],
  });
  const connections = metrics.gauge({
    name: 'crm_sync_connections',
    help: 'Connections by status (needs_reauth: the user must reconnect)',
    labelNames: ['status'],
  });
  const bucket = metrics.gauge({
    name: 'crm_sync_sync_freshness_seconds_bucket',
    help: 'Enabled resources of active connections whose last completed round is at most `le` seconds old',
    labelNames: ['le'],
  });
  const count = metrics.gauge({
    name: 'crm_sync_sync_freshness_seconds_count',
    help: 'Enabled resources of active connections',
  });
  const sum = metrics.gauge({
    name: 'crm_sync_sync_freshness_seconds_sum',
    help: 'Sum of the ages of the last completed rounds, in seconds',
  });
  const max = metrics.gauge({
    name: 'crm_sync_sync_freshness_max_seconds',
    help: 'Age of the stalest enabled resource of an active connection (since connect when it never completed)',
  });
  return {
    refresh: async () => {
      const [queues, statuses, fresh] = await Promise.all([
        read.queues(),
        read.connections(),
        read.freshness(),
      ]);
      for (const q of queues) {
        for (const state of ['waiting', 'active', 'delayed', 'failed'] as const)
          jobs.set({ queue: q.queue, state }, q[state]);
        oldest.set({ queue: q.queue }, q.oldestWaitingAgeSeconds);
      }
      for (const [status, n] of Object.entries(statuses)) connections.set({ status }, n);
      for (const b of fresh.buckets) bucket.set({ le: String(b.le) }, b.count);
      bucket.set({ le: '+Inf' }, fresh.count);
      count.set(fresh.count);
      sum.set(fresh.sumSeconds);
      max.set(fresh.maxSeconds);
    },
  };
}
