import type { EventResult } from '@crm-sync/connections';
import type { ConnectionEvent } from '@crm-sync/core';
import type { Logger } from '@crm-sync/observability';
import { QUEUE_NAMES } from '@crm-sync/queue';
import type { Job } from 'bullmq';
import { parseJob } from './processor';

export interface ConnectionEventsProcessorDeps {
  handle: (event: ConnectionEvent) => Promise<EventResult>;
  logger: Logger;
}

/** `connection-events` jobs: connections' handler decides (every branch idempotent); failures retry. */
export function createConnectionEventsProcessor(deps: ConnectionEventsProcessorDeps) {
  return async (job: Job): Promise<EventResult> => {
    const event = parseJob(QUEUE_NAMES.connectionEvents, job.data);
    const result = await deps.handle(event);
    deps.logger.info({ jobId: job.id, type: event.type, result }, 'connection event handled');
    return result;
  };
}
