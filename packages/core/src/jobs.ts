import { z } from 'zod';
import { isResourceOf, PROVIDERS, RESOURCES } from './domain';

/**
 * Job payloads carry identifiers only: a job never holds a token, an OAuth code or a secret, because job data
 * sits in Redis in plain text and shows in the dashboard.
 */
export const connectionId = z.uuid();

export const syncJobSchema = z.strictObject({
  connectionId,
  resource: z.enum(RESOURCES),
});
export type SyncJobData = z.infer<typeof syncJobSchema>;

export const tokenRefreshJobSchema = z.strictObject({ connectionId });
export type TokenRefreshJobData = z.infer<typeof tokenRefreshJobSchema>;

/** BullMQ 6 rejects `:` in custom job ids, hence the dot. One id per (connection, resource) dedupes syncs. */
export function syncJobId(data: SyncJobData): string {
  return `${data.connectionId}.${data.resource}`;
}

export const providerResourceSchema = z
  .strictObject({ provider: z.enum(PROVIDERS), resource: z.enum(RESOURCES) })
  .refine((v) => isResourceOf(v.provider, v.resource), {
    message: 'resource is not offered by this provider',
    path: ['resource'],
  });
