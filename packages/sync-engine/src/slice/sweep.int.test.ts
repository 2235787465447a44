import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { syncStates } from '@crm-sync/sync-states';
import type { Resource } from '@crm-sync/core';
import { connectSandboxAccount, engineDeps, SYNC_CASES, tableSnapshot } from '../../test';
import { runSlice } from './runSlice';

// Mark-and-sweep of full rounds (issue 16): rows a completed full round did not list are marked deleted, inside
// the window the round listed; a round that has not completed sweeps nothing.

const DAY = 86_400_000;
let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

const windowed = SYNC_CASES.filter((c) => c.table === 'emails');
const whole = SYNC_CASES.filter((c) => c.provider !== 'hubspot' && c.table === 'contacts');

/** Rows the provider never had, dated `daysAgo` back (null: no date), as a lost deletion would leave them. */
async function plantGhosts(table: string, connectionId: string, ghosts: Record<string, number | null>) {
  const column = table === 'emails' ? 'sent_at' : null;
  for (const [id, daysAgo] of Object.entries(ghosts)) {
    const at = daysAgo === null ? null : new Date(Date.now() - daysAgo * DAY);
    await h.db.dataSource.query(
      column
        ? `INSERT INTO ${table} (connection_id, external_id, content_hash, ${column}) VALUES ($1, $2, 'h', $3)`
        : `INSERT INTO ${table} (connection_id, external_id, content_hash) VALUES ($1, $2, 'h')`,
      column ? [connectionId, id, at] : [connectionId, id],
    );
  }
}

/** Slices of one page each until the round completes. */
async function finishRound(connectionId: string, resource: Resource) {
  for (let i = 0; i < 100; i += 1) {
    const outcome = await runSlice(engineDeps(h), {
      connectionId,
      resource,
      budgetMs: 1,
    });
    if (outcome.kind === 'caught_up') return outcome;
    if (outcome.kind !== 'more') throw new Error(`slice ended ${outcome.kind}`);
  }
  throw new Error('round did not complete');
}

describe.each(windowed.map((c) => [`${c.provider} ${c.resource}`, c] as const))('%s', (name, c) => {
  it('a full round sweeps unlisted rows inside its window only, and only once it completes', async () => {
    const { connectionId } = await connectSandboxAccount(h, {
      provider: c.provider,
      email: `sweep-${name.replace(' ', '-')}@example.com`,
      // More than one page (Gmail lists 500 a page), so the round spans several one-page slices.
      sizes: { [c.sandboxResource]: 520 },
      resources: [c.resource],
    });
    await finishRound(connectionId, c.resource);
    await plantGhosts(c.table, connectionId, { 'ghost-recent': 1, 'ghost-old': 400, 'ghost-undated': null });
    await syncStates.triggerNow(h.db.dataSource, { connectionId, resources: [c.resource], full: true });

    // One page of the new full round: not complete, so nothing is swept yet.
    const first = await runSlice(engineDeps(h), { connectionId, resource: c.resource, budgetMs: 1 });
    expect(first.kind).toBe('more');
    expect((await tableSnapshot(h, c, connectionId)).has('ghost-recent')).toBe(true);

    const done = await finishRound(connectionId, c.resource);
    expect(done.round).toMatchObject({ mode: 'full', counts: { swept: 1, deleted: 0 } });
    const live = await tableSnapshot(h, c, connectionId);
    expect(live.has('ghost-recent')).toBe(false);
    // Older than the window (90 days in the engine's test options) or undated: the round could not have listed it.
    expect(live.has('ghost-old')).toBe(true);
    expect(live.has('ghost-undated')).toBe(true);
  });
});

describe.each(whole.map((c) => [`${c.provider} ${c.resource}`, c] as const))('%s', (name, c) => {
  it('a resource listed whole sweeps every unlisted row; the next full round sweeps nothing', async () => {
    const { connectionId } = await connectSandboxAccount(h, {
      provider: c.provider,
      email: `sweep-${name.replace(' ', '-')}@example.com`,
      sizes: { [c.sandboxResource]: 25 },
      resources: [c.resource],
    });
    await finishRound(connectionId, c.resource);
    await plantGhosts(c.table, connectionId, { 'ghost-a': null, 'ghost-b': null });
    await syncStates.triggerNow(h.db.dataSource, { connectionId, resources: [c.resource], full: true });
    expect((await finishRound(connectionId, c.resource)).round.counts).toMatchObject({
      swept: 2,
      unchanged: 25,
    });
    expect((await tableSnapshot(h, c, connectionId)).size).toBe(25);
    await syncStates.triggerNow(h.db.dataSource, { connectionId, resources: [c.resource], full: true });
    expect((await finishRound(connectionId, c.resource)).round.counts).toMatchObject({
      swept: 0,
      updated: 0,
    });
  });
});
