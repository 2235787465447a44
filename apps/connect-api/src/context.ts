import type { ServiceToken } from '@crm-sync/config';
import type { ConnectionsDeps } from '@crm-sync/connections';
import type { HealthCheck, Logger, Metrics } from '@crm-sync/observability';
import type { Redis } from 'ioredis';

/** Everything the HTTP layer needs, built once by main.ts (or by a test). */
export interface AppContext {
  deps: ConnectionsDeps;
  logger: Logger;
  metrics: Metrics;
  health: Record<string, HealthCheck>;
  /** Backs the callback rate limit so it holds across replicas. */
  redis: Redis;
  /** Key prefix of the rate-limit counters in Redis; tests use their own. */
  rateLimitKeyPrefix?: string;
  settings: {
    publicBaseUrl: string;
    serviceTokens: ServiceToken[];
    allowedRedirectOrigins: string[];
    callbackRateLimitPerMinute: number;
    bodyLimitBytes: number;
  };
}
