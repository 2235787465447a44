import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { connectSandboxAccount, engineDeps } from '../../test';
import { runSlice } from './runSlice';

let h: ConnectionsHarness;

const callsOf = (accountId: string) =>
  h.sandbox.control
    .counters()
    .filter((c) => c.accountId === accountId)
    .reduce((sum, c) => sum + c.count, 0);

/** The engine's clock, moved past each wait as the worker's delayed retry would be. */
class Clock {
  private at = Date.now();
  readonly now = () => new Date(this.at);
  advance(ms: number): void {
    this.at += ms;
  }
}
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

const streak = async (connectionId: string) =>
  (
    (await h.db.dataSource.query(
      `SELECT rate_limit_streak FROM sync_states WHERE connection_id = $1 AND resource = 'contacts'`,
      [connectionId],
    )) as Array<{ rate_limit_streak: number }>
  )[0]?.rate_limit_streak;

describe('a throttled resource', () => {
  it('backs off exponentially while the provider throttles without naming a delay, and starts over after a page', async () => {
    const { connectionId, account } = await connectSandboxAccount(h, {
      provider: 'google',
      email: 'throttled@example.com',
      sizes: { contacts: 5 },
      resources: ['contacts'],
    });
    // Google sends no Retry-After on a 429 (docs/providers/google.md); the adapter's first wait is 10 s.
    h.sandbox.control.addFault({
      provider: 'google',
      accountId: account.id,
      action: { kind: 'status', status: 429 },
      next: 3,
    });
    const clock = new Clock();
    const deps = { ...engineDeps(h), random: () => 0, now: clock.now };
    const slice = () => runSlice(deps, { connectionId, resource: 'contacts', budgetMs: 1000 });
    const waits = [];
    for (let i = 0; i < 3; i += 1) {
      const outcome = await slice();
      expect(outcome.kind).toBe('rate_limited');
      if (outcome.kind === 'rate_limited') waits.push(outcome.retryAfterMs);
      if (outcome.kind === 'rate_limited') clock.advance(outcome.retryAfterMs);
    }
    expect(waits).toEqual([10_000, 20_000, 40_000]);
    expect(await streak(connectionId)).toBe(3);

    expect((await slice()).kind).toBe('caught_up');
    expect(await streak(connectionId)).toBe(0);
  });

  it('waits exactly what the provider names, however often it throttles', async () => {
    const { connectionId, account } = await connectSandboxAccount(h, {
      provider: 'google',
      email: 'told@example.com',
      sizes: { contacts: 5 },
      resources: ['contacts'],
    });
    h.sandbox.control.addFault({
      provider: 'google',
      accountId: account.id,
      action: { kind: 'status', status: 429, retryAfterSeconds: 7 },
      next: 2,
    });
    const clock = new Clock();
    const deps = { ...engineDeps(h), random: () => 1, now: clock.now };
    const slice = () => runSlice(deps, { connectionId, resource: 'contacts', budgetMs: 1000 });
    expect(await slice()).toMatchObject({ kind: 'rate_limited', retryAfterMs: 7000 });
    clock.advance(7000);
    expect(await slice()).toMatchObject({ kind: 'rate_limited', retryAfterMs: 7000 });
  });

  it("holds the connection's throttle for the proxy, and waits out one the proxy recorded without calling", async () => {
    const { connectionId, account } = await connectSandboxAccount(h, {
      provider: 'google',
      email: 'shared@example.com',
      sizes: { contacts: 5 },
      resources: ['contacts'],
    });
    h.sandbox.control.addFault({
      provider: 'google',
      accountId: account.id,
      action: { kind: 'status', status: 429, retryAfterSeconds: 7 },
      next: 1,
    });
    const clock = new Clock();
    const deps = { ...engineDeps(h), now: clock.now };
    const slice = () => runSlice(deps, { connectionId, resource: 'contacts', budgetMs: 1000 });
    expect(await slice()).toMatchObject({ kind: 'rate_limited', retryAfterMs: 7000 });
    expect(await deps.throttle.waitMs(connectionId, clock.now())).toBe(7000);

    // The proxy was told to wait 30 s: the slice does not call the provider and leaves the streak alone.
    clock.advance(7000);
    await deps.throttle.hold(connectionId, new Date(clock.now().getTime() + 30_000));
    const calls = () => callsOf(account.id);
    const before = calls();
    expect(await slice()).toMatchObject({ kind: 'rate_limited', retryAfterMs: 30_000 });
    expect(calls()).toBe(before);
    expect(await streak(connectionId)).toBe(1);
    const [{ next_sync_at: due }] = (await h.db.dataSource.query(
      `SELECT next_sync_at FROM sync_states WHERE connection_id = $1 AND resource = 'contacts'`,
      [connectionId],
    )) as Array<{ next_sync_at: Date }>;
    expect(due.getTime()).toBe(clock.now().getTime() + 30_000);

    clock.advance(30_000);
    expect((await slice()).kind).toBe('caught_up');
  });
});
