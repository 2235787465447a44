import {
  connectionEventSchema,
  crmNotificationSchema,
  QUEUE_NAMES,
  SYNC_QUEUES,
  syncJobSchema,
  tokenRefreshJobSchema,
} from '@crm-sync/core';
import type { z } from 'zod';

interface JobSpec<S extends z.ZodType> {
  schema: S;
  attempts: number;
  /** Exponential backoff base; BullMQ adds jitter on top. */
  backoffMs: number;
}

const syncSpec: JobSpec<typeof syncJobSchema> = { schema: syncJobSchema, attempts: 8, backoffMs: 5_000 };

/**
 * Every queue and the payload it carries. Producers validate against it before adding a job and workers
 * re-parse on receipt, so a malformed payload never reaches a handler.
 */
export const JOB_CATALOG = {
  [SYNC_QUEUES.google]: syncSpec,
  [SYNC_QUEUES.microsoft]: syncSpec,
  [SYNC_QUEUES.hubspot]: syncSpec,
  [QUEUE_NAMES.tokenRefresh]: { schema: tokenRefreshJobSchema, attempts: 6, backoffMs: 2_000 },
  [QUEUE_NAMES.connectionEvents]: { schema: connectionEventSchema, attempts: 10, backoffMs: 1_000 },
  [QUEUE_NAMES.crmNotifications]: { schema: crmNotificationSchema, attempts: 10, backoffMs: 1_000 },
  // An audit that failed is simply due again at its next interval; a few retries cover a passing outage.
  [QUEUE_NAMES.audit]: { schema: syncJobSchema, attempts: 3, backoffMs: 60_000 },
} as const satisfies Record<string, JobSpec<z.ZodType>>;

export type CatalogQueue = keyof typeof JOB_CATALOG;
export type JobPayload<Q extends CatalogQueue> = z.input<(typeof JOB_CATALOG)[Q]['schema']>;
export type ParsedJobPayload<Q extends CatalogQueue> = z.output<(typeof JOB_CATALOG)[Q]['schema']>;
