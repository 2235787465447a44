import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueName } from '@crm-sync/core';

/** How much work waits in one queue, for the metrics that page someone (docs/operations.md, alerts). */
export interface QueueStats {
  queue: QueueName;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** Seconds since the oldest waiting job was added; 0 when none waits. */
  oldestWaitingAgeSeconds: number;
}

/** Reads the queues' figures; one Queue handle per name, kept until `close`. */
export function queueStatsReader(
  connection: Redis,
  prefix: string,
  names: readonly QueueName[],
): { read(now?: number): Promise<QueueStats[]>; close(): Promise<void> } {
  const queues = names.map((name) => new Queue(name, { connection, prefix }));
  return {
    read: (now = Date.now()) =>
      Promise.all(
        queues.map(async (queue) => {
          const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'failed');
          // Jobs are pushed at the list's head and taken from its tail: ascending order puts the oldest first.
          const [oldest] = await queue.getJobs(['wait'], 0, 0, true);
          return {
            queue: queue.name as QueueName,
            waiting: counts.wait ?? 0,
            active: counts.active ?? 0,
            delayed: counts.delayed ?? 0,
            failed: counts.failed ?? 0,
            oldestWaitingAgeSeconds: oldest ? Math.max(0, (now - oldest.timestamp) / 1000) : 0,
          };
        }),
      ),
    close: async () => {
      await Promise.all(queues.map((q) => q.close()));
    },
  };
}
