import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { HUBSPOT_DESCRIPTOR } from '@crm-sync/providers';
import { connectSandboxAccount, engineDeps, testThrottle } from '../../test';
import { runSlice } from './runSlice';

// The request budget a connection's sync shares with callouts through the proxy (ConnectionThrottle), with real
// Redis: HubSpot's 110 requests per 10 s, of which the default 20 % (22) are kept for callouts.
let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

const budget = HUBSPOT_DESCRIPTOR.requestBudget;
const callsOf = (accountId: string) =>
  h.sandbox.control
    .counters()
    .filter((c) => c.accountId === accountId)
    .reduce((sum, c) => sum + c.count, 0);

/** A clock 1 ms into a fresh budget window, so a test's requests all fall in one window. */
function windowClock() {
  let at = (Math.floor(Date.now() / budget.windowMs) + 1) * budget.windowMs + 1;
  return { now: () => new Date(at), advance: (ms: number) => (at += ms) };
}

async function hubspotContacts(email: string) {
  return connectSandboxAccount(h, {
    provider: 'hubspot',
    email,
    sizes: { contacts: 5 },
    resources: ['contacts'],
  });
}

describe("a connection's request budget, shared by the sync and callouts", () => {
  it('keeps the callouts share when the sync has spent its own: the sync waits, callouts go on', async () => {
    const { connectionId, account } = await hubspotContacts('budget-sync-flat-out@example.com');
    const clock = windowClock();
    const deps = { ...engineDeps(h), throttle: testThrottle(h, 1), now: clock.now };
    const { throttle } = deps;
    expect([throttle.share('sync', budget), throttle.share('callout', budget)]).toEqual([88, 22]);
    // A sync running flat out has made its 88 requests in this window.
    await throttle.spend(connectionId, 'sync', budget, 88, clock.now());
    const before = callsOf(account.id);
    const outcome = await runSlice(deps, { connectionId, resource: 'contacts', budgetMs: 5_000 });
    expect(outcome).toMatchObject({ kind: 'rate_limited', retryAfterMs: budget.windowMs - 1 });
    expect(callsOf(account.id)).toBe(before);
    for (let i = 0; i < 22; i += 1) {
      expect(await throttle.admit(connectionId, 'callout', budget, clock.now())).toEqual({ kind: 'go' });
    }
    // The next window gives the sync its share again.
    clock.advance(budget.windowMs);
    expect((await runSlice(deps, { connectionId, resource: 'contacts', budgetMs: 5_000 })).kind).toBe(
      'caught_up',
    );
  });

  it("stops a burst of callouts at their share, leaving the sync's share whole", async () => {
    const { connectionId } = await hubspotContacts('budget-callout-burst@example.com');
    const clock = windowClock();
    const deps = { ...engineDeps(h), throttle: testThrottle(h, 1), now: clock.now };
    const { throttle } = deps;
    const admitted = [];
    for (let i = 0; i < 30; i += 1)
      admitted.push(await throttle.admit(connectionId, 'callout', budget, clock.now()));
    expect(admitted.filter((a) => a.kind === 'go')).toHaveLength(22);
    expect(admitted[22]).toEqual({ kind: 'spent', waitMs: budget.windowMs - 1 });
    expect((await runSlice(deps, { connectionId, resource: 'contacts', budgetMs: 5_000 })).kind).toBe(
      'caught_up',
    );
    // The callouts took nothing from the sync's 88: what is left is 88 less the few requests of that slice.
    let left = 0;
    while ((await throttle.admit(connectionId, 'sync', budget, clock.now())).kind === 'go') left += 1;
    expect(left).toBeGreaterThanOrEqual(80);
    expect(left).toBeLessThan(88);
  });

  it("counts a page's requests beyond the first, and a provider's hold stops both sides first", async () => {
    const { connectionId } = await hubspotContacts('budget-held@example.com');
    const clock = windowClock();
    const throttle = testThrottle(h, 1);
    await throttle.hold(connectionId, new Date(clock.now().getTime() + 3_000));
    expect(await throttle.admit(connectionId, 'callout', budget, clock.now())).toEqual({
      kind: 'held',
      waitMs: 3_000,
    });
    clock.advance(3_000);
    await throttle.spend(connectionId, 'callout', budget, 21, clock.now());
    expect(await throttle.admit(connectionId, 'callout', budget, clock.now())).toEqual({ kind: 'go' });
    expect((await throttle.admit(connectionId, 'callout', budget, clock.now())).kind).toBe('spent');
  });
});
