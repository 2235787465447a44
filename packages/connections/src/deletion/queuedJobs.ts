import { QUEUE_NAMES, SYNC_QUEUES, syncJobId, type Provider, type Resource } from '@crm-sync/core';
import type { JobProducer } from '@crm-sync/queue';
import { refreshDedupeId } from '@crm-sync/scheduling';

export interface QueuedConnection {
  id: string;
  provider: Provider;
  resources: Resource[];
}

/**
 * Removes the connections' waiting and delayed jobs: syncs and audits (one per resource) and token refreshes,
 * found by the deduplication keys they were added with (packages/scheduling). A job a worker holds cannot be
 * removed (BullMQ refuses a locked job); it finds the connection ended and its credentials gone and stops.
 */
export async function removeQueuedJobs(
  producer: JobProducer,
  connections: QueuedConnection[],
): Promise<number> {
  let removed = 0;
  for (const connection of connections) {
    const keys: Array<{ queue: Parameters<JobProducer['queue']>[0]; dedupeId: string }> = [
      { queue: QUEUE_NAMES.tokenRefresh, dedupeId: refreshDedupeId(connection.id) },
    ];
    for (const resource of connection.resources) {
      const dedupeId = syncJobId({ connectionId: connection.id, resource });
      keys.push(
        { queue: SYNC_QUEUES[connection.provider], dedupeId },
        { queue: QUEUE_NAMES.audit, dedupeId },
      );
    }
    for (const { queue, dedupeId } of keys) {
      const q = producer.queue(queue);
      const jobId = await q.getDeduplicationJobId(dedupeId);
      if (jobId && (await q.remove(jobId)) === 1) removed += 1;
    }
  }
  return removed;
}
