// npm run bench:audit -- [--items 10000] [--seed 20261202]
//
// The completeness audit's cost (issue 16): for every syncer, an account of --items items is synced with a full
// round, made to diverge (rows dropped behind the engine's back), then audited. Per syncer it prints the
// provider calls the audit made per 10,000 items it listed, the same for the full round as the ceiling it saves
// against (`ratio audit-vs-full-round`), what the audit found, and its duration. Calls are counted by the sandbox.
//
// Runs in one process on a temporary database, Redis prefix and in-process sandbox (the test harness of
// @crm-sync/connections); needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL).

import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import type { Resource } from '@crm-sync/core';
import { AuditCallBudget, runAudit, runSlice, type SyncEngineDeps } from '@crm-sync/sync-engine';
import { connectSandboxAccount, engineDeps, SYNC_CASES, type SyncCase } from '@crm-sync/sync-engine/testing';

const { values } = parseArgs({
  options: { items: { type: 'string', default: '10000' }, seed: { type: 'string', default: '20261202' } },
});
const ITEMS = Number(values.items);
const SEED = Number(values.seed);
if (!Number.isInteger(ITEMS) || ITEMS < 100 || !Number.isInteger(SEED))
  throw new Error('--items must be an integer >= 100 and --seed an integer');
// SYNC_INITIAL_WINDOW_DAYS at its maximum: wide enough for every generated item, so figures are per item held.
const WINDOW_DAYS = 3_650;
const DROPPED = 10;

const line = (label: string, value: string | number) => console.log(`${label.padEnd(44)} ${value}`);
const per10k = (calls: number, items: number) => ((calls * 10_000) / Math.max(1, items)).toFixed(1);

/** Every sandbox call made for the account so far. */
function callsFor(h: ConnectionsHarness, accountId: string): number {
  return h.sandbox.control
    .counters()
    .filter((c) => c.accountId === accountId)
    .reduce((sum, c) => sum + c.count, 0);
}

/** Slices until the round is caught up, waiting out the sandbox's rate limits as the worker would. */
async function fullRound(deps: SyncEngineDeps, connectionId: string, resource: Resource): Promise<void> {
  for (;;) {
    const outcome = await runSlice(deps, { connectionId, resource, budgetMs: 60_000 });
    if (outcome.kind === 'caught_up') return;
    if (outcome.kind === 'rate_limited') await new Promise((r) => setTimeout(r, outcome.retryAfterMs));
    else if (outcome.kind !== 'more') throw new Error(`full round ended ${outcome.kind}`);
  }
}

async function benchCase(
  h: ConnectionsHarness,
  c: SyncCase,
  seed: number,
  budget: AuditCallBudget,
): Promise<void> {
  const name = `${c.provider}-${c.resource}`;
  const deps = engineDeps(h, { initialWindowDays: WINDOW_DAYS });
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: c.provider,
    email: `bench-audit-${name}@example.com`,
    seed,
    sizes: { [c.sandboxResource]: ITEMS },
    resources: [c.resource],
  });
  const beforeRound = callsFor(h, account.id);
  await fullRound(deps, connectionId, c.resource);
  const roundCalls = callsFor(h, account.id) - beforeRound;

  const byType = c.objectType ? `AND object_type = '${c.objectType}'` : '';
  await h.db.dataSource.query(
    `DELETE FROM ${c.table} WHERE id IN (
       SELECT id FROM ${c.table} WHERE connection_id = $1 ${byType} ORDER BY id LIMIT ${DROPPED})`,
    [connectionId],
  );
  // The round just spent most of HubSpot's 110 requests per 10 s (docs/providers/hubspot.md#rate-limits, enforced by
  // the sandbox): the audit starts in a fresh window, as a scheduled one would.
  if (c.provider === 'hubspot') await new Promise((r) => setTimeout(r, 10_000));
  const beforeAudit = callsFor(h, account.id);
  const started = performance.now();
  const outcome = await runAudit(deps, {
    connectionId,
    resource: c.resource,
    maxCalls: 10_000,
    throttle: (provider) => budget.take(provider),
  });
  const ms = performance.now() - started;
  if (outcome.kind !== 'audited') throw new Error(`${name} audit ended ${JSON.stringify(outcome)}`);
  const auditCalls = callsFor(h, account.id) - beforeAudit;
  const { listed, missing, ghosts } = outcome.counts;
  line(`${name} audit calls per 10k items`, `${per10k(auditCalls, listed)} (${auditCalls} for ${listed})`);
  line(`${name} full-round calls per 10k items`, per10k(roundCalls, listed));
  line(`ratio ${name} audit-vs-full-round`, (auditCalls / Math.max(1, roundCalls)).toFixed(3));
  line(
    `${name} audit found`,
    `missing ${missing} (expected ${DROPPED}), ghosts ${ghosts}; ${ms.toFixed(0)} ms with budget waits`,
  );
}

async function main(): Promise<void> {
  line('items per account / seed', `${ITEMS} / ${SEED}`);
  const h = await createConnectionsHarness();
  // Audits share one budget per provider; 100 calls per 10 s stays under HubSpot's 110 per 10 s the sandbox enforces.
  const budget = new AuditCallBudget({
    redis: h.redis.redis,
    keyPrefix: `${h.redis.prefix}:`,
    callsPerWindow: 100,
    windowMs: 10_000,
  });
  try {
    // One seed per account: the sandbox derives account ids from it.
    for (const [index, c] of SYNC_CASES.entries()) await benchCase(h, c, SEED + index, budget);
  } finally {
    await h.close();
  }
  line('rss-mb', (process.memoryUsage().rss / 1_048_576).toFixed(0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
