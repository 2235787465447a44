import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { connectSandboxAccount, engineDeps } from '../../test';
import { runSlice } from './runSlice';

let h: ConnectionsHarness;
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
    const deps = { ...engineDeps(h), random: () => 0 };
    const slice = () => runSlice(deps, { connectionId, resource: 'contacts', budgetMs: 1000 });
    const waits = [];
    for (let i = 0; i < 3; i += 1) {
      const outcome = await slice();
      expect(outcome.kind).toBe('rate_limited');
      if (outcome.kind === 'rate_limited') waits.push(outcome.retryAfterMs);
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
    const deps = { ...engineDeps(h), random: () => 1 };
    const slice = () => runSlice(deps, { connectionId, resource: 'contacts', budgetMs: 1000 });
    expect(await slice()).toMatchObject({ kind: 'rate_limited', retryAfterMs: 7000 });
    expect(await slice()).toMatchObject({ kind: 'rate_limited', retryAfterMs: 7000 });
  });
});
