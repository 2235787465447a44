export { JOB_CATALOG, type CatalogQueue, type JobPayload, type ParsedJobPayload } from './catalog';
export { createRedisConnection, type RedisConnectionOptions } from './connection';
export { queueStatsReader, type QueueStats } from './queueStats';
// Queue names live in @crm-sync/core, the one place every process reads them from.
export { QUEUE_NAMES, SYNC_QUEUES, type QueueName } from '@crm-sync/core';
export {
  QueueUnavailableError,
  JobProducer,
  type EnqueueOptions,
  type EventFields,
  type ProducerOptions,
} from './producer';
