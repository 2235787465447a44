export { JOB_CATALOG, type CatalogQueue, type JobPayload, type ParsedJobPayload } from './catalog';
export { createRedisConnection, type RedisConnectionOptions } from './connection';
export { DEFAULT_QUEUE_PREFIX, QUEUE_NAMES, SYNC_QUEUES, type QueueName } from './names';
export {
  EnqueueTimeoutError,
  JobProducer,
  type EnqueueOptions,
  type EventFields,
  type ProducerOptions,
} from './producer';
