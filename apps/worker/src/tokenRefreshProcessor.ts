import type { Logger, Metrics } from '@crm-sync/observability';
import { QUEUE_NAMES } from '@crm-sync/queue';
import type { RefreshOutcome } from '@crm-sync/sync-engine';
import { DelayedError, type Job } from 'bullmq';
import { parseJob, SliceRetryError } from './processor';

export interface TokenRefreshProcessorDeps {
  refresh: (connectionId: string) => Promise<RefreshOutcome>;
  logger: Logger;
  metrics: Metrics;
  now?: () => number;
}

/** `token-refresh` jobs: refresh ahead of expiry; throttling waits without a failed attempt, outages retry. */
export function createTokenRefreshProcessor(deps: TokenRefreshProcessorDeps) {
  const now = deps.now ?? Date.now;
  // Failing refreshes (transient ones retry with backoff) must be visible before tokens start to lapse.
  const refreshes = deps.metrics.counter({
    name: 'crm_sync_token_refreshes_total',
    help: 'Token refresh jobs by outcome',
    labelNames: ['outcome'] as const,
  });
  return async (job: Job, token?: string): Promise<RefreshOutcome> => {
    const { connectionId } = parseJob(QUEUE_NAMES.tokenRefresh, job.data);
    const outcome = await deps.refresh(connectionId);
    refreshes.inc({ outcome: outcome.kind });
    deps.logger.debug({ jobId: job.id, connectionId, outcome: outcome.kind }, 'token refresh done');
    if (outcome.kind === 'rate_limited') {
      await job.moveToDelayed(now() + outcome.retryAfterMs, token);
      throw new DelayedError();
    }
    if (outcome.kind === 'transient') throw new SliceRetryError(outcome.reason);
    return outcome;
  };
}
