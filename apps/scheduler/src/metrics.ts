import type { Metrics } from '@crm-sync/observability';
import type { TickResult } from '@crm-sync/scheduling';

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
    duration.observe(result.durationMs / 1000);
  };
}
