import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import type { SliceOutcome, SliceRequest } from '../types';
import {
  connectSandboxAccount,
  deleteAtProvider,
  duplicateRows,
  engineDeps,
  hasSyncer,
  sandboxIds,
  sandboxSnapshot,
  snapshotChecksum,
  SYNC_CASES,
  tableSnapshot,
  type SyncCase,
} from '../../test';
import { runSlice } from './runSlice';

const SIZE = 120;

let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

/** Runs slices until one is not `more`; returns every outcome. */
async function syncRound(request: SliceRequest, max = 50): Promise<SliceOutcome[]> {
  const outcomes: SliceOutcome[] = [];
  // The engine's clock moves past each throttle as the worker's delayed retry would (the wait is shared in Redis).
  let at = Date.now();
  for (let i = 0; i < max; i += 1) {
    const outcome = await runSlice({ ...engineDeps(h), now: () => new Date(at) }, request);
    outcomes.push(outcome);
    if (outcome.kind === 'rate_limited') at += outcome.retryAfterMs;
    if (outcome.kind !== 'more' && outcome.kind !== 'rate_limited') return outcomes;
  }
  throw new Error(`no result after ${max} slices: ${outcomes.map((o) => o.kind).join(',')}`);
}

async function expectConverged(c: SyncCase, accountId: string, connectionId: string): Promise<void> {
  const expected = sandboxSnapshot(h, c, accountId);
  const actual = await tableSnapshot(h, c, connectionId);
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  expect(snapshotChecksum(actual)).toBe(snapshotChecksum(expected));
  expect(await duplicateRows(h, c, connectionId)).toBe(0);
}

const state = async (connectionId: string, resource: string) =>
  (
    await h.db.dataSource.query(`SELECT * FROM sync_states WHERE connection_id = $1 AND resource = $2`, [
      connectionId,
      resource,
    ])
  )[0];

describe.each(SYNC_CASES.map((c) => [`${c.provider} ${c.resource}`, c] as const))('%s', (name, c) => {
  // Which syncers exist is decided by packages/providers; a case without one fails here rather than pass empty.
  it('has a syncer registered by packages/providers', () => {
    expect(hasSyncer(c.provider, c.resource)).toBe(true);
  });
  const connect = (suffix: string) =>
    connectSandboxAccount(h, {
      provider: c.provider,
      email: `${suffix}-${name.replace(' ', '-')}@example.com`,
      sizes: { [c.sandboxResource]: SIZE },
      resources: [c.resource],
    });

  it('full sync lands the dataset, mutations land incrementally, an expired cursor resyncs', async () => {
    const { connectionId, account } = await connect('full');
    const request = { connectionId, resource: c.resource, budgetMs: 30_000 };
    expect((await syncRound(request)).at(-1)).toMatchObject({ kind: 'caught_up' });
    await expectConverged(c, account.id, connectionId);
    const caughtUp = await state(connectionId, c.resource);
    expect(caughtUp).toMatchObject({
      mode: 'incremental',
      phase: 'caught_up',
      status: 'idle',
      continuation: null,
    });
    expect(caughtUp.cursor).toBeTruthy();
    expect(Number(caughtUp.items_done)).toBeGreaterThanOrEqual(SIZE);
    expect(caughtUp.last_success_at).toBeInstanceOf(Date);

    const ids = sandboxIds(h, c, account.id);
    const control = h.sandbox.control;
    control.addItem(c.provider, account.id, c.sandboxResource);
    control.updateItem(c.provider, account.id, c.sandboxResource, ids[3]!, c.edit('edited value'));
    deleteAtProvider(h, c, account.id, ids[5]!);
    const incremental = await syncRound(request);
    expect(incremental.at(-1)).toMatchObject({ kind: 'caught_up' });
    await expectConverged(c, account.id, connectionId);

    control.updateItem(c.provider, account.id, c.sandboxResource, ids[7]!, c.edit('edited before expiry'));
    control.expireCursors(c.provider, account.id);
    expect((await syncRound(request)).at(-1)).toMatchObject({ kind: 'caught_up' });
    await expectConverged(c, account.id, connectionId);
    // A watermark cursor (HubSpot) never expires; the round above is then an ordinary incremental one.
    expect(await state(connectionId, c.resource)).toMatchObject({
      mode: 'incremental',
      last_error: c.cursorsExpire === false ? null : 'cursor expired; full resync',
    });
  });

  it('a revoked grant stops the sync with no further provider calls', async () => {
    const { connectionId, account } = await connect('revoked');
    h.sandbox.control.revokeTokens(c.provider, account.id);
    const request = { connectionId, resource: c.resource, budgetMs: 30_000 };
    // A still-valid access token may not exist: the revoked one is refused (401), the refresh is refused too.
    expect(await runSlice(engineDeps(h), request)).toMatchObject({ kind: 'auth_revoked' });
    const calls = () => h.sandbox.control.counters().reduce((n, e) => n + e.count, 0);
    const before = calls();
    expect(await runSlice(engineDeps(h), request)).toMatchObject({
      kind: 'skipped',
      reason: 'connection_inactive',
    });
    expect(calls()).toBe(before);
    const [connection] = await h.db.dataSource.query(`SELECT status FROM connections WHERE id = $1`, [
      connectionId,
    ]);
    expect(connection.status).toBe('needs_reauth');
    expect(await h.deps.credentials.load(connectionId)).toBeNull();
  });

  it('a 429 storm (Retry-After only where the provider sends one) is ridden out as rate_limited outcomes, never a failure', async () => {
    const { connectionId, account } = await connect('storm');
    h.sandbox.control.addFault({
      provider: c.provider,
      accountId: account.id,
      action: { kind: 'status', status: 429 },
      next: 6,
    });
    const outcomes = await syncRound({ connectionId, resource: c.resource, budgetMs: 30_000 }, 100);
    expect(outcomes.filter((o) => o.kind === 'rate_limited').length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.kind !== 'rate_limited' && o.kind !== 'more').map((o) => o.kind)).toEqual(
      ['caught_up'],
    );
    await expectConverged(c, account.id, connectionId);
    expect((await state(connectionId, c.resource)).consecutive_failures).toBe(0);
  });

  it('a provider outage is a transient outcome with backoff; the next success clears the failure count', async () => {
    const { connectionId, account } = await connect('outage');
    // Enough 503s to outlast any retries inside the provider's client.
    h.sandbox.control.addFault({
      provider: c.provider,
      accountId: account.id,
      action: { kind: 'status', status: 503 },
      next: 10,
    });
    const request = { connectionId, resource: c.resource, budgetMs: 30_000 };
    const failed = await runSlice(engineDeps(h), request);
    expect(failed).toMatchObject({ kind: 'transient' });
    const after = await state(connectionId, c.resource);
    expect(after).toMatchObject({ status: 'failed', consecutive_failures: 1 });
    expect(after.last_error).toMatch(/^transient: /);
    expect(after.next_sync_at.getTime()).toBeGreaterThan(Date.now());
    h.sandbox.control.clearFaults();
    expect((await syncRound(request)).at(-1)).toMatchObject({ kind: 'caught_up' });
    expect((await state(connectionId, c.resource)).consecutive_failures).toBe(0);
    await expectConverged(c, account.id, connectionId);
  });
});
