import type { Provider } from '@crm-sync/core';

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
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** Key prefix under which BullMQ keeps every queue; tests pass a random one to stay isolated. */
export const DEFAULT_QUEUE_PREFIX = 'crm-sync';
