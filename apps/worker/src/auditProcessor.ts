import type { Logger, Metrics } from '@crm-sync/observability';
import { QUEUE_NAMES } from '@crm-sync/queue';
import type { AuditOutcome, AuditRequest } from '@crm-sync/sync-engine';
import { DelayedError, type Job } from 'bullmq';
import { parseJob, SliceRetryError } from './processor';

export interface AuditProcessorDeps {
  runAudit: (request: AuditRequest) => Promise<AuditOutcome>;
  /** `AUDIT_MAX_CALLS_PER_RUN`. */
  maxCallsPerRun: number;
  /** The shared per-provider budget (`AuditCallBudget.take`). */
  throttle: NonNullable<AuditRequest['throttle']>;
  logger: Logger;
  metrics: Metrics;
  now?: () => number;
}

/**
 * `audit` jobs: one completeness audit of one resource. A rate limit waits without a failed attempt and an outage
 * retries; any other provider failure, a skip or a resource too big for the budget completes the job (the sync
 * handles the failure the next time it meets it, and the next audit is due at its interval).
 */
export function createAuditProcessor(deps: AuditProcessorDeps) {
  const now = deps.now ?? Date.now;
  const audits = deps.metrics.counter({
    name: 'crm_sync_audits_total',
    help: 'Completeness audits by resource and outcome',
    labelNames: ['resource', 'outcome'] as const,
  });
  const items = deps.metrics.counter({
    name: 'crm_sync_audit_items_total',
    help: 'What completeness audits found (missing, ghosts) and repaired, by resource',
    labelNames: ['resource', 'kind'] as const,
  });
  const calls = deps.metrics.counter({
    name: 'crm_sync_audit_provider_calls_total',
    help: 'Provider calls made by completeness audits, by resource',
    labelNames: ['resource'] as const,
  });
  return async (job: Job, token?: string): Promise<AuditOutcome> => {
    const data = parseJob(QUEUE_NAMES.audit, job.data);
    const outcome = await deps.runAudit({ ...data, maxCalls: deps.maxCallsPerRun, throttle: deps.throttle });
    audits.inc({ resource: data.resource, outcome: outcome.kind });
    if (outcome.kind !== 'skipped') {
      const made = outcome.kind === 'audited' ? outcome.counts.calls : outcome.calls;
      calls.inc({ resource: data.resource }, made);
    }
    if (outcome.kind === 'audited') {
      for (const kind of ['missing', 'ghosts', 'repaired'] as const)
        items.inc({ resource: data.resource, kind }, outcome.counts[kind]);
      const level = outcome.counts.missing + outcome.counts.ghosts > 0 ? 'warn' : 'info';
      deps.logger[level]({ ...data, ...outcome.counts }, 'completeness audit finished');
    } else deps.logger.info({ ...data, outcome }, 'completeness audit ended early');
    if (outcome.kind !== 'failed') return outcome;
    if (outcome.error.kind === 'rate_limited') {
      await job.moveToDelayed(now() + outcome.error.retryAfterMs, token);
      throw new DelayedError();
    }
    if (outcome.error.kind === 'transient') throw new SliceRetryError(outcome.error.reason);
    return outcome;
  };
}
