import type { ProviderAdapter, ResourceSyncer } from '@crm-sync/core';
import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { syncStates } from '@crm-sync/sync-states';
import { connectSandboxAccount, engineDeps, SYNC_CASES, tableSnapshot } from '../../test';
import type { SliceOutcome, SyncEngineDeps } from '../types';
import { runSlice } from './runSlice';

// Notices trigger rounds, never storms (issue 25, docs/push.md): a request (`triggerNow`, what a provider notice
// becomes) that arrives while a round runs, after its fetch began, earns that round exactly one follow-up, which
// sees the change; a request the round started after needs none.

const contacts = SYNC_CASES.find((c) => c.provider === 'hubspot' && c.resource === 'contacts')!;
let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

/** Engine deps whose contacts syncer runs `afterFetch` once each page came back from the sandbox. */
function withAfterFetch(afterFetch: () => Promise<void>): SyncEngineDeps {
  const deps = engineDeps(h);
  const adapter = deps.adapters.get('hubspot')!;
  const syncer = adapter.sync!.contacts!;
  const watched: ResourceSyncer = Object.create(syncer) as ResourceSyncer;
  watched.fetchPage = async (request) => {
    const page = await syncer.fetchPage(request);
    await afterFetch();
    return page;
  };
  const wrapped: ProviderAdapter = { ...adapter, sync: { ...adapter.sync, contacts: watched } };
  return { ...deps, adapters: new Map([...deps.adapters, ['hubspot', wrapped]]) };
}

async function round(deps: SyncEngineDeps, connectionId: string) {
  for (let i = 0; i < 50; i += 1) {
    const outcome: SliceOutcome = await runSlice(deps, {
      connectionId,
      resource: 'contacts',
      budgetMs: 30_000,
    });
    if (outcome.kind === 'caught_up') return outcome;
    if (outcome.kind !== 'more') throw new Error(`slice ended ${outcome.kind}`);
  }
  throw new Error('round did not complete');
}

it('notices during a round coalesce into one follow-up round, which brings the change', async () => {
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'hubspot',
    email: 'follow-up@acme.example',
    sizes: { contacts: 5 },
    resources: ['contacts'],
  });
  expect((await round(engineDeps(h), connectionId)).followUp).toBe(false);

  // The change and its notices land after the round's fetch: the round cannot have seen it.
  let added: string | undefined;
  const late = withAfterFetch(async () => {
    if (added) return;
    added = h.sandbox.control.addItem('hubspot', account.id, 'contacts', { firstname: 'Late' }).id;
    for (let i = 0; i < 3; i += 1) {
      await syncStates.triggerNow(h.db.dataSource, { connectionId, resources: ['contacts'], full: false });
    }
  });
  const first = await round(late, connectionId);
  expect(first).toMatchObject({ followUp: true, round: { mode: 'incremental' } });
  expect((await tableSnapshot(h, contacts, connectionId)).has(added!)).toBe(false);
  const [queued] = await h.db.dataSource.query(`SELECT status FROM sync_states WHERE connection_id = $1`, [
    connectionId,
  ]);
  expect(queued.status).toBe('queued');

  // One follow-up, for the three notices, and it finds the change.
  const followUp = await round(engineDeps(h), connectionId);
  expect(followUp).toMatchObject({ followUp: false, round: { counts: { added: 1 } } });
  expect((await tableSnapshot(h, contacts, connectionId)).has(added!)).toBe(true);
});

it('a notice that came before the round began is served by that round alone', async () => {
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'hubspot',
    email: 'before@acme.example',
    sizes: { contacts: 5 },
    resources: ['contacts'],
  });
  await round(engineDeps(h), connectionId);
  const added = h.sandbox.control.addItem('hubspot', account.id, 'contacts', { firstname: 'Early' }).id;
  await syncStates.triggerNow(h.db.dataSource, { connectionId, resources: ['contacts'], full: false });
  const outcome = await round(engineDeps(h), connectionId);
  expect(outcome).toMatchObject({ followUp: false, round: { counts: { added: 1 } } });
  expect((await tableSnapshot(h, contacts, connectionId)).has(added)).toBe(true);
});
