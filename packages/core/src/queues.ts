import type { Provider } from './domain';

/**
 * Every queue name of the system, in one place: producers (connect-api, scheduler, worker), consumers (worker),
 * the dashboard and the configuration's `WORKER_QUEUES` check all read them from here, so no process can send to
 * a queue that nothing consumes. The key prefix they live under is one setting (`WORKER_QUEUE_PREFIX`).
 */

/** One sync queue per provider, so each gets its own rate limiter and fleets can be split by provider. */
export const SYNC_QUEUES = {
  google: 'sync-google',
  microsoft: 'sync-microsoft',
  hubspot: 'sync-hubspot',
} as const satisfies Record<Provider, string>;

export const QUEUE_NAMES = {
  ...SYNC_QUEUES,
  tokenRefresh: 'token-refresh',
  connectionEvents: 'connection-events',
  crmNotifications: 'crm-notifications',
  /** Completeness audits (packages/sync-engine README), apart from syncs so a long audit never holds a sync slot. */
  audit: 'audit',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];
export type SyncQueueName = (typeof SYNC_QUEUES)[Provider];

/** The sync queues, for iteration. */
export const SYNC_QUEUE_NAMES = Object.values(SYNC_QUEUES) as readonly SyncQueueName[];

/**
 * Every queue a worker consumes: the sync queues, on-demand token refreshes, inbound events and completeness
 * audits. The CRM consumes `crm-notifications`.
 */
export const WORKER_QUEUE_NAMES = [
  ...SYNC_QUEUE_NAMES,
  QUEUE_NAMES.tokenRefresh,
  QUEUE_NAMES.connectionEvents,
  QUEUE_NAMES.audit,
] as const;
export type WorkerQueueName =
  | SyncQueueName
  | typeof QUEUE_NAMES.tokenRefresh
  | typeof QUEUE_NAMES.connectionEvents
  | typeof QUEUE_NAMES.audit;
