import type { Metrics } from '@crm-sync/observability';
import { outboxStats, type RelayResult } from '@crm-sync/outbox';
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
