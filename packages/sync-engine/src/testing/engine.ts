import type { ConnectionsHarness } from '@crm-sync/connections/testing';
import { AccessTokens } from '../tokens/accessTokens';
import type { SyncEngineDeps, SyncEngineOptions } from '../types';

/** Engine dependencies over a connections harness: its database, Redis prefix, vault, producer and adapters. */
export function engineDeps(
  h: ConnectionsHarness,
  options: Partial<SyncEngineOptions> = {},
  tokens?: AccessTokens,
): SyncEngineDeps {
  return {
    db: h.db.dataSource,
    adapters: h.deps.adapters,
    credentials: h.deps.credentials,
    tokens: tokens ?? testAccessTokens(h),
    producer: h.deps.producer,
    options: { backoffBaseMs: 1_000, backoffMaxMs: 60_000, incrementalIntervalMs: 60_000, ...options },
  };
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
