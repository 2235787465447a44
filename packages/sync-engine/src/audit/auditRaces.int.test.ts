import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { lastAudit } from '@crm-sync/sync-states/testing';
import {
  connectSandboxAccount,
  deleteAtProvider,
  dropRows,
  engineDeps,
  sandboxIds,
  sandboxSnapshot,
  SYNC_CASES,
  syncUntilCaughtUp,
  tableSnapshot,
  withSyncer,
} from '../../test';
import { runAudit } from './runAudit';

// Completeness audits beside a running sync (issue 16): what a sync writes while the audit lists is never taken
// for a ghost or for missing, fetched items are not stored over a page that committed meanwhile, and a listing
// that stepped over a live item cannot delete it.

let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

const sorted = (ids: Iterable<string>) => [...ids].sort();
const gmail = SYNC_CASES.find((c) => c.provider === 'google' && c.resource === 'mail')!;
const families = SYNC_CASES.filter(
  (c) =>
    (c.provider !== 'hubspot' && c.resource === 'mail') ||
    (c.provider === 'hubspot' && c.resource === 'contacts'),
);

describe.each(families.map((c) => [`${c.provider} ${c.resource}`, c] as const))('%s', (name, c) => {
  it('a sync during the audit: rows it adds are not ghosts, rows it deletes are not missing', async () => {
    const deps = engineDeps(h);
    const { connectionId, account } = await connectSandboxAccount(h, {
      provider: c.provider,
      email: `audit-concurrent-${name.replace(' ', '-')}@example.com`,
      sizes: { [c.sandboxResource]: 30 },
      resources: [c.resource],
    });
    await syncUntilCaughtUp(deps, connectionId, c.resource);
    const [gone] = sandboxIds(h, c, account.id);
    const wire = (id: string) => c.wireId?.(id, account) ?? id;
    let added = '';
    const hooked = withSyncer(deps, c, (own) => ({
      listIds: async (request) => {
        const page = await own.listIds!(request);
        if (page.next.kind !== 'done') return page;
        // After the listing: created at the provider (so the listing lacks it) and stored by a sync round; and one
        // the listing held, deleted at the provider and removed by the same round.
        added = h.sandbox.control.addItem(c.provider, account.id, c.sandboxResource, c.edit('late')).id;
        deleteAtProvider(h, c, account.id, gone!);
        await syncUntilCaughtUp(deps, connectionId, c.resource);
        return page;
      },
    }));
    const outcome = await runAudit(hooked, { connectionId, resource: c.resource, maxCalls: 50 });
    expect(outcome).toMatchObject({ kind: 'audited', counts: { listed: 30, missing: 0, ghosts: 0 } });
    const table = await tableSnapshot(h, c, connectionId);
    expect(table.has(wire(added))).toBe(true);
    expect(table.has(wire(gone!))).toBe(false);
    expect(sorted(table.keys())).toEqual(sorted(sandboxSnapshot(h, c, account.id).keys()));
  });
});

it('items fetched by id are left to a full round when a sync page committed meanwhile', async () => {
  const deps = engineDeps(h);
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'google',
    email: 'audit-fetch-race@example.com',
    sizes: { messages: 30 },
    resources: ['mail'],
  });
  await syncUntilCaughtUp(deps, connectionId, 'mail');
  const [dropped] = [...(await tableSnapshot(h, gmail, connectionId)).keys()];
  await dropRows(h, gmail, connectionId, [dropped!]);
  const hooked = withSyncer(deps, gmail, (own) => ({
    fetchByIds: async (request) => {
      const items = await own.fetchByIds!(request);
      // A new message moves the history id, so the round this sync runs commits a new position.
      h.sandbox.control.addItem('google', account.id, 'messages', { subject: 'meanwhile' });
      await syncUntilCaughtUp(deps, connectionId, 'mail');
      return items;
    },
  }));
  const outcome = await runAudit(hooked, { connectionId, resource: 'mail', maxCalls: 50 });
  expect(outcome).toMatchObject({ kind: 'audited', counts: { missing: 1, repaired: 0 } });
  expect(await lastAudit(h.db.dataSource, connectionId, 'mail')).toMatchObject({
    fullRoundWanted: true,
  });
  expect((await tableSnapshot(h, gmail, connectionId)).has(dropped!)).toBe(false);
  expect(await syncUntilCaughtUp(deps, connectionId, 'mail')).toBe('full');
  const table = await tableSnapshot(h, gmail, connectionId);
  expect(sorted(table.keys())).toEqual(sorted(sandboxSnapshot(h, gmail, account.id).keys()));
});

it('a ghost the provider still returns by id (a listing that stepped over it) is kept', async () => {
  const deps = engineDeps(h);
  const { connectionId } = await connectSandboxAccount(h, {
    provider: 'google',
    email: 'audit-stepped-over@example.com',
    sizes: { messages: 30 },
    resources: ['mail'],
  });
  await syncUntilCaughtUp(deps, connectionId, 'mail');
  let skipped = '';
  const hooked = withSyncer(deps, gmail, (own) => ({
    listIds: async (request) => {
      const page = await own.listIds!(request);
      skipped = page.ids[0]!;
      return { ...page, ids: page.ids.slice(1) };
    },
  }));
  const outcome = await runAudit(hooked, { connectionId, resource: 'mail', maxCalls: 50 });
  expect(outcome).toMatchObject({
    kind: 'audited',
    counts: { listed: 29, missing: 0, ghosts: 0, repaired: 0 },
  });
  expect((await tableSnapshot(h, gmail, connectionId)).has(skipped)).toBe(true);
});
