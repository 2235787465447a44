import { z } from 'zod';

/** A tenant's retention period for the data of ended connections: 0 purges at once (the default), at most 10 years. */
export const retentionView = z.object({
  tenantId: z.string(),
  retentionDays: z.number().int().min(0).max(3650),
});
