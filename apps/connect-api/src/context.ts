import type { ConnectApiConfig } from '@crm-sync/config';
import type { BrokerThrottle, BrokerTokens, ConnectionsDeps, ReceiptKeySet } from '@crm-sync/connections';
import type { HealthCheck, Logger, Metrics } from '@crm-sync/observability';
import type { NoticeVerifiers } from '@crm-sync/providers';
import type { Redis } from 'ioredis';

/** Everything the HTTP layer needs, built once by main.ts (or by a test). */
export interface AppContext {
  deps: ConnectionsDeps;
  /** The token broker's access to tokens: the sync engine's AccessTokens, sharing the worker's refresh lock. */
  tokens: BrokerTokens;
  /** A provider's throttling of a connection, shared with the worker's sync (ConnectionThrottle). */
  throttle: BrokerThrottle;
  /** Provider notices (routes/webhooks): the configured providers' verifiers. */
  notices: { verifiers: NoticeVerifiers };
  /** The public keys that verify deletion receipts, published at /.well-known/deletion-receipt-keys.json. */
  receiptKeys: ReceiptKeySet;
  logger: Logger;
  metrics: Metrics;
  health: Record<string, HealthCheck>;
  /** Backs the rate limits so they hold across replicas. */
  redis: Redis;
  /** Key prefix of the rate-limit counters in Redis; tests use their own. */
  rateLimitKeyPrefix?: string;
  /** connect-api's configuration; where it listens (host, port, ops) is main.ts's business. */
  settings: Omit<ConnectApiConfig, 'host' | 'port' | 'ops'>;
}
