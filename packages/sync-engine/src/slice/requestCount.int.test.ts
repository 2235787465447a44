import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import type { Provider, Resource } from '@crm-sync/core';
import { GOOGLE_DESCRIPTOR, HUBSPOT_DESCRIPTOR, MICROSOFT_DESCRIPTOR } from '@crm-sync/providers';
import { connectSandboxAccount, engineDeps, testThrottle } from '../../test';
import { runSlice } from './runSlice';

// What a sync spends of a connection's request budget (ConnectionThrottle) is what it really sent, as the provider
// counts it: pages that fan out (Gmail gets each message, Graph lists attachments and looks up removals through
// `$batch`, whose requests Graph limits one by one, HubSpot reads associations) count every request, searches aside
// for HubSpot (limited apart). The sandbox's own counters are the provider's count.
let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

const BUDGETS = {
  google: GOOGLE_DESCRIPTOR.requestBudget,
  microsoft: MICROSOFT_DESCRIPTOR.requestBudget,
  hubspot: HUBSPOT_DESCRIPTOR.requestBudget,
};

/**
 * Requests the sandbox answered for the account that count against the provider's per-user limit: a Graph `$batch`
 * counts through the requests inside it (each on its own route), HubSpot searches are limited apart.
 */
function served(accountId: string): number {
  const limited = (route: string) => route !== 'graph.batch' && !route.endsWith('.search');
  return h.sandbox.control
    .counters()
    .filter((c) => c.accountId === accountId && limited(c.route))
    .reduce((sum, c) => sum + c.count, 0);
}

const CASES: Array<{ provider: Provider; resource: Resource; sizes: Record<string, number> }> = [
  { provider: 'google', resource: 'mail', sizes: { messages: 60 } },
  { provider: 'microsoft', resource: 'mail', sizes: { messages: 120 } },
  { provider: 'hubspot', resource: 'contacts', sizes: { contacts: 40, companies: 10 } },
];

it.each(CASES)('counts what a $provider $resource round sent', async ({ provider, resource, sizes }) => {
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider,
    email: `count-${provider}@example.com`,
    sizes,
    resources: [resource],
  });
  const budget = BUDGETS[provider];
  // One budget window for the whole round.
  const at = new Date((Math.floor(Date.now() / budget.windowMs) + 1) * budget.windowMs + 1);
  const now = () => at;
  const deps = { ...engineDeps(h), throttle: testThrottle(h, 1), now };
  const before = served(account.id);
  let outcome;
  do outcome = await runSlice(deps, { connectionId, resource, budgetMs: 60_000 });
  while (outcome.kind === 'more');
  expect(outcome.kind).toBe('caught_up');
  const sent = served(account.id) - before;
  // The round fanned out: more requests than pages.
  expect(sent).toBeGreaterThan(outcome.counts.pages + 1);
  // What the sync counted in that window (ConnectionThrottle's key, docs/token-broker.md).
  const window = Math.floor(at.getTime() / budget.windowMs);
  const key = `${h.redis.prefix}provider-budget:${connectionId}:sync:${window}`;
  expect(Number(await h.redis.redis.get(key))).toBe(sent);
});
