import type { DeletionRequestRow } from '@crm-sync/connections';
import { z } from 'zod';
import { problemResponse } from '../schemas';

/** Where the public keys that verify deletion receipts are published (docs/deletion.md#receipts). */
export const RECEIPT_KEYS_PATH = '/.well-known/deletion-receipt-keys.json';

const statusUrl = (r: Pick<DeletionRequestRow, 'id' | 'tenantId'>) =>
  `/v1/deletion-requests/${r.id}?tenantId=${encodeURIComponent(r.tenantId)}`;

export const deletionAccepted = z.object({
  deletionRequestId: z.uuid(),
  statusUrl: z.string(),
});

export const acceptedBody = (r: Pick<DeletionRequestRow, 'id' | 'tenantId'>) => ({
  deletionRequestId: r.id,
  statusUrl: statusUrl(r),
});

export const deletionErrors = {
  503: problemResponse(
    'The request is recorded but could not be queued yet; it is sent again by the scheduler (code `queue_unavailable`)',
  ),
};

/** A deletion request as the CRM sees it: where the purge is and what it has deleted so far. */
export const deletionRequestView = z.object({
  id: z.uuid(),
  tenantId: z.string(),
  crmUserId: z.string().nullable(),
  status: z.enum(['pending', 'running', 'completed']),
  step: z.string(),
  connectionIds: z.array(z.uuid()),
  deleted: z.record(z.string(), z.number()),
  revocations: z.record(z.string(), z.string()),
  jobsRemoved: z.number(),
  requestedAt: z.string(),
  unreadableAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  receiptUrl: z.string().nullable(),
});

export const viewOf = (r: DeletionRequestRow): z.infer<typeof deletionRequestView> => ({
  id: r.id,
  tenantId: r.tenantId,
  crmUserId: r.crmUserId,
  status: r.status,
  step: r.step,
  connectionIds: r.connectionIds,
  deleted: r.progress.deleted,
  revocations: r.progress.revocations,
  jobsRemoved: r.progress.jobsRemoved,
  requestedAt: r.requestedAt.toISOString(),
  unreadableAt: r.unreadableAt?.toISOString() ?? null,
  completedAt: r.completedAt?.toISOString() ?? null,
  receiptUrl: r.receipt ? `/v1/deletion-receipts/${r.id}?tenantId=${encodeURIComponent(r.tenantId)}` : null,
});
