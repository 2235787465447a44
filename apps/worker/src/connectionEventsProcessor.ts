import type { EventResult, LifecycleEvent } from '@crm-sync/connections';
import type { Logger } from '@crm-sync/observability';
import { JOB_CATALOG, QUEUE_NAMES } from '@crm-sync/queue';
import { isWriteEvent, type ApplyOptions, type ApplyResult, type WriteEvent } from '@crm-sync/writes';
import type { Job } from 'bullmq';
import { parseJob } from './processor';

export interface ConnectionEventsProcessorDeps {
  handle: (event: LifecycleEvent) => Promise<EventResult>;
  /** Write-back's events (packages/writes `handleWriteEvent`). */
  handleWrite: (event: WriteEvent, options: ApplyOptions) => Promise<ApplyResult>;
  logger: Logger;
}

/** `connection-events` jobs: connections' or writes' handler decides (every branch idempotent); failures retry. */
export function createConnectionEventsProcessor(deps: ConnectionEventsProcessorDeps) {
  return async (job: Job): Promise<EventResult | ApplyResult> => {
    const event = parseJob(QUEUE_NAMES.connectionEvents, job.data);
    // The job's last try: a write whose provider stays unavailable ends refused rather than pending for ever.
    const finalAttempt =
      job.attemptsMade + 1 >= (job.opts.attempts ?? JOB_CATALOG[QUEUE_NAMES.connectionEvents].attempts);
    const result = isWriteEvent(event)
      ? await deps.handleWrite(event, { finalAttempt })
      : await deps.handle(event);
    deps.logger.info({ jobId: job.id, type: event.type, result }, 'connection event handled');
    return result;
  };
}
