import type { Provider, Resource } from '@crm-sync/core';
import { createAdapterRegistry, sandboxEndpoints } from '@crm-sync/providers';
import { connectionOutcomes } from '@crm-sync/connections';
import type { ConnectionsHarness } from '@crm-sync/connections/testing';
import { ConnectionThrottle } from '../src/throttle/connectionThrottle';
import { AccessTokens } from '../src/tokens/accessTokens';
import type { SyncEngineDeps, SyncEngineOptions } from '../src/types';

/** Small intervals and backoffs, so tests see the next due time and retries without waiting. */
export const TEST_ENGINE_OPTIONS: SyncEngineOptions = {
  incrementalIntervalMs: 60_000,
  intervalJitterRatio: 0.1,
  initialWindowDays: 90,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
};

/** Engine dependencies over a connections harness: its database, Redis prefix, vault and adapters. */
export function engineDeps(
  h: ConnectionsHarness,
  options: Partial<SyncEngineOptions> = {},
  tokens?: AccessTokens,
): SyncEngineDeps {
  return {
    db: h.db.dataSource,
    adapters: h.deps.adapters,
    tokens: tokens ?? testAccessTokens(h),
    throttle: testThrottle(h, SANDBOX_BUDGET_FACTOR),
    outcomes: connectionOutcomes(h.deps),
    content: h.deps.content,
    options: { ...TEST_ENGINE_OPTIONS, ...options },
  };
}

/**
 * The sandbox throttles nobody unless a test faults it, and tests run slices back to back, faster than any real
 * per-user limit allows: their budgets are this much larger. Tests of the budget itself use a factor of 1.
 */
export const SANDBOX_BUDGET_FACTOR = 1000;

export function testThrottle(h: ConnectionsHarness, requestBudgetFactor: number): ConnectionThrottle {
  return new ConnectionThrottle({
    redis: h.redis.redis,
    keyPrefix: h.redis.prefix,
    calloutShare: 0.2,
    requestBudgetFactor,
  });
}

export function testAccessTokens(h: ConnectionsHarness, refreshMarginMs = 60_000): AccessTokens {
  return new AccessTokens({
    credentials: h.deps.credentials,
    redis: h.redis.redis,
    keyPrefix: h.redis.prefix,
    refreshMarginMs,
    lockTtlMs: 10_000,
    pollMs: 20,
  });
}

/** Sandbox calls that reached a provider route with a given status, summed. */
export function callsTo(h: ConnectionsHarness, route: string, accountId?: string): number {
  return h.sandbox.control
    .counters()
    .filter((c) => c.route === route && (accountId === undefined || c.accountId === accountId))
    .reduce((sum, c) => sum + c.count, 0);
}

/**
 * Whether packages/providers offers a syncer for the resource, known before any sandbox runs (Jest decides at
 * collection time which tests exist). Adapters are built against placeholder origins and never called.
 */
export function hasSyncer(provider: Provider, resource: Resource): boolean {
  const endpoints = sandboxEndpoints({ httpUrl: 'http://127.0.0.1:9', httpsUrl: 'https://127.0.0.1:9' });
  const client = { clientId: 'probe', clientSecret: 'probe', redirectUri: 'http://127.0.0.1:9/cb', fetch };
  const adapters = createAdapterRegistry({
    google: { ...client, endpoints: endpoints.google },
    microsoft: { ...client, endpoints: endpoints.microsoft },
    hubspot: { ...client, endpoints: endpoints.hubspot },
  });
  return Boolean(adapters.get(provider)?.sync?.[resource]);
}
