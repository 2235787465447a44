import { sweepRetention, type RetentionSweepDeps } from '@crm-sync/connections';
import type { Logger, Metrics } from '@crm-sync/observability';

export interface RetentionLoop {
  stop(): Promise<void>;
}

/**
 * Runs the retention sweep (packages/connections `sweepRetention`) every `intervalMs`, one sweep at a time, with
 * its own metrics. Stopping waits for the sweep in progress.
 */
export function startRetentionLoop(
  deps: RetentionSweepDeps,
  options: { intervalMs: number; logger: Logger; metrics: Metrics },
): RetentionLoop {
  const metrics = sweepMetrics(options.metrics);
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const sweep = async () => {
    const started = performance.now();
    try {
      const result = await sweepRetention(deps);
      metrics.duration.observe((performance.now() - started) / 1000);
      if (!result) return;
      metrics.connections.inc(result.connections);
      for (const [table, n] of Object.entries(result.deleted)) metrics.rows.inc({ table }, n);
      metrics.audit.inc(result.auditEventsPruned);
      if (result.connections + result.auditEventsPruned + result.deletionsResumed > 0) {
        options.logger.info({ ...result }, 'retention sweep');
      }
    } catch (error) {
      metrics.failures.inc();
      options.logger.error({ err: error }, 'retention sweep failed');
    }
  };
  const timer = setInterval(() => {
    if (!stopped) running = running.then(sweep);
  }, options.intervalMs);
  running = sweep();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

function sweepMetrics(metrics: Metrics) {
  return {
    connections: metrics.counter({
      name: 'crm_sync_retention_purged_connections_total',
      help: 'Ended connections whose synced data the retention sweep purged',
    }),
    rows: metrics.counter({
      name: 'crm_sync_retention_deleted_rows_total',
      help: 'Synced rows deleted by the retention sweep, by table',
      labelNames: ['table'],
    }),
    audit: metrics.counter({
      name: 'crm_sync_audit_events_pruned_total',
      help: 'Audit events older than AUDIT_RETENTION_MS pruned by the retention sweep',
    }),
    failures: metrics.counter({
      name: 'crm_sync_retention_sweep_failures_total',
      help: 'Retention sweeps that failed (retried at the next interval)',
    }),
    duration: metrics.histogram({
      name: 'crm_sync_retention_sweep_seconds',
      help: 'Duration of one retention sweep',
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
    }),
  };
}
