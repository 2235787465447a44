import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import type { ProviderAdapter, Resource } from '@crm-sync/core';
import { lastAudit } from '@crm-sync/sync-states/testing';
import {
  callsTo,
  connectSandboxAccount,
  deleteAtProvider,
  engineDeps,
  sandboxSnapshot,
  SYNC_CASES,
  tableSnapshot,
  type SyncCase,
} from '../../test';
import { runSlice } from '../slice/runSlice';
import type { SyncEngineDeps } from '../types';
import { AuditCallBudget } from './callBudget';
import { runAudit } from './runAudit';

// The completeness audit (issue 16): the provider's id set against the table's, ghosts deleted, missing items
// brought back by the full round the audit asks for; real Postgres, Redis and the sandbox.

const DAY = 86_400_000;
let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

/** Rounds until the resource is caught up; returns the last round's mode. */
async function syncUntilCaughtUp(deps: SyncEngineDeps, connectionId: string, resource: Resource) {
  for (let i = 0; i < 100; i += 1) {
    const outcome = await runSlice(deps, { connectionId, resource, budgetMs: 30_000 });
    if (outcome.kind === 'caught_up') return outcome.round.mode;
    if (outcome.kind !== 'more') throw new Error(`slice ended ${outcome.kind}`);
  }
  throw new Error('round did not complete');
}

/** A row the provider never had, dated yesterday where the table has a date, as a lost deletion leaves it. */
async function plantGhost(c: SyncCase, connectionId: string, id: string) {
  const dated = { emails: 'sent_at', calendar_events: 'starts_at' }[c.table as string];
  const columns = ['connection_id', 'external_id', 'content_hash'];
  const values: unknown[] = [connectionId, id, 'h'];
  const extra: Array<[string, unknown]> = [];
  if (dated) extra.push([dated, new Date(Date.now() - DAY)]);
  if (c.objectType) extra.push(['object_type', c.objectType]);
  for (const [column, value] of extra) {
    columns.push(column);
    values.push(value);
  }
  await h.db.dataSource.query(
    `INSERT INTO ${c.table} (${columns.join(', ')}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})`,
    values,
  );
}

/** Rows removed behind the engine's back: the provider still has them and no cursor will say so. */
async function dropRows(c: SyncCase, connectionId: string, ids: string[]) {
  await h.db.dataSource.query(
    `DELETE FROM ${c.table} WHERE connection_id = $1 AND external_id = ANY($2::text[])`,
    [connectionId, ids],
  );
}

const sorted = (ids: Iterable<string>) => [...ids].sort();
const fetchesById = (c: SyncCase) =>
  h.deps.adapters.get(c.provider)?.sync?.[c.resource]?.fetchByIds !== undefined;

describe.each(SYNC_CASES.map((c) => [`${c.provider} ${c.resource}`, c] as const))('%s', (name, c) => {
  it('finds missing and ghost rows, repairs them, and the table ends equal to the sandbox', async () => {
    const deps = engineDeps(h);
    const { connectionId, account } = await connectSandboxAccount(h, {
      provider: c.provider,
      email: `audit-${name.replace(' ', '-')}@example.com`,
      sizes: { [c.sandboxResource]: 30 },
      resources: [c.resource],
    });
    await syncUntilCaughtUp(deps, connectionId, c.resource);
    const synced = [...(await tableSnapshot(h, c, connectionId)).keys()];
    expect(synced).toHaveLength(30);

    await dropRows(c, connectionId, synced.slice(0, 2));
    await plantGhost(c, connectionId, 'ghost-1');
    // Deleted at the provider with no round run since (for HubSpot a permanent delete, which no cursor ever shows):
    // only the listing can tell.
    const dropped = new Set(synced.slice(0, 2));
    const wire = c.wireId ?? ((id: string) => id);
    const kept = sandboxSnapshotStored(c, account.id).find((id) => !dropped.has(wire(id)));
    h.sandbox.control.deleteItem(c.provider, account.id, c.sandboxResource, kept!);

    const outcome = await runAudit(deps, { connectionId, resource: c.resource, maxCalls: 50 });
    // A syncer that fetches by id stores the missing items itself; the others leave them to a full round.
    const direct = fetchesById(c);
    const repaired = direct ? 4 : 2;
    expect(outcome).toMatchObject({
      kind: 'audited',
      counts: { listed: 29, missing: 2, ghosts: 2, repaired },
    });
    const recorded = await lastAudit(h.db.dataSource, connectionId, c.resource);
    expect(recorded).toMatchObject({ missing: 2, ghosts: 2, repaired, fullRoundWanted: !direct });
    expect((await tableSnapshot(h, c, connectionId)).size).toBe(direct ? 29 : 27);

    // The full round the audit asked for stores what was missing through the normal sync path.
    expect(await syncUntilCaughtUp(deps, connectionId, c.resource)).toBe(direct ? 'incremental' : 'full');
    const table = await tableSnapshot(h, c, connectionId);
    expect(sorted(table.keys())).toEqual(sorted(sandboxSnapshot(h, c, account.id).keys()));
    expect(table.size).toBe(29);

    const again = await runAudit(deps, { connectionId, resource: c.resource, maxCalls: 50 });
    expect(again).toMatchObject({ kind: 'audited', counts: { missing: 0, ghosts: 0, repaired: 0 } });
    expect(await lastAudit(h.db.dataSource, connectionId, c.resource)).toMatchObject({
      fullRoundWanted: false,
    });
    expect(await syncUntilCaughtUp(deps, connectionId, c.resource)).toBe('incremental');
  });
});

/** The sandbox's stored ids (what the control API takes), live items only. */
function sandboxSnapshotStored(c: SyncCase, accountId: string): string[] {
  const { accounts, datasets } = h.sandbox.context;
  const account = accounts.get(c.provider, accountId)!;
  const dataset = datasets.open(account, datasets.generator(c.provider, c.sandboxResource)!);
  return dataset
    .page({ limit: 1000, order: 'asc' })
    .items.filter((item) => c.live?.(item.data as Record<string, unknown>) ?? true)
    .map((item) => item.id);
}

const hubspotContacts = SYNC_CASES.find((c) => c.provider === 'hubspot' && c.resource === 'contacts')!;

/** The adapters with one syncer's id pass wrapped: `afterListing` runs once its last page is in. */
function withHook(deps: SyncEngineDeps, afterListing: () => Promise<void>): SyncEngineDeps {
  const adapters = new Map(deps.adapters);
  const adapter = adapters.get('hubspot')!;
  const syncer = adapter.sync!.contacts!;
  const listIds = syncer.listIds!.bind(syncer);
  const wrapped: ProviderAdapter = {
    ...adapter,
    sync: {
      ...adapter.sync,
      contacts: {
        ...syncer,
        fetchPage: syncer.fetchPage.bind(syncer),
        listIds: async (request) => {
          const page = await listIds(request);
          if (page.next.kind === 'done') await afterListing();
          return page;
        },
      },
    },
  };
  adapters.set('hubspot', wrapped);
  return { ...deps, adapters };
}

it('a sync during the audit: rows it adds are not ghosts, rows it deletes are not missing', async () => {
  const deps = engineDeps(h, {}, undefined);
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'hubspot',
    email: 'audit-concurrent@example.com',
    sizes: { contacts: 150 },
    resources: ['contacts'],
  });
  await syncUntilCaughtUp(deps, connectionId, 'contacts');
  const [gone] = sandboxSnapshotStored(hubspotContacts, account.id);
  let added = '';
  const hooked = withHook(deps, async () => {
    // After the listing: created at the provider (so the listing lacks it) and stored by a sync round.
    added = h.sandbox.control.addItem('hubspot', account.id, 'contacts', { email: 'late@example.com' }).id;
    // Listed by the audit, then archived and removed by the same round.
    deleteAtProvider(h, hubspotContacts, account.id, gone!);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await syncUntilCaughtUp(deps, connectionId, 'contacts');
  });
  const outcome = await runAudit(hooked, { connectionId, resource: 'contacts', maxCalls: 50 });
  expect(outcome).toMatchObject({ kind: 'audited', counts: { listed: 150, missing: 0, ghosts: 0 } });
  const table = await tableSnapshot(h, hubspotContacts, connectionId);
  expect(table.has(added)).toBe(true);
  expect(table.has(gone!)).toBe(false);
  expect(sorted(table.keys())).toEqual(sorted(sandboxSnapshot(h, hubspotContacts, account.id).keys()));
});

it('respects its call budget: past it, the run stops and changes nothing', async () => {
  const deps = engineDeps(h);
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'hubspot',
    email: 'audit-budget@example.com',
    sizes: { contacts: 250 },
    resources: ['contacts'],
  });
  await syncUntilCaughtUp(deps, connectionId, 'contacts');
  await plantGhost(hubspotContacts, connectionId, 'ghost-budget');
  const before = callsTo(h, 'crm.objects.list', account.id);

  // 250 objects are three list pages of 100.
  const capped = await runAudit(deps, { connectionId, resource: 'contacts', maxCalls: 2 });
  expect(capped).toEqual({ kind: 'over_budget', calls: 2 });
  expect(callsTo(h, 'crm.objects.list', account.id) - before).toBe(2);
  expect((await tableSnapshot(h, hubspotContacts, connectionId)).has('ghost-budget')).toBe(true);
  expect(await lastAudit(h.db.dataSource, connectionId, 'contacts')).toBeNull();
  // A shared budget of 2 calls a window: the third call waits for the next window.
  const sleeps: number[] = [];
  let clock = 0;
  const budget = new AuditCallBudget({
    redis: h.redis.redis,
    keyPrefix: `${h.redis.prefix}:`,
    callsPerWindow: 2,
    windowMs: 60_000,
    now: () => clock,
    sleep: (ms) => {
      sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
  });
  const paced = await runAudit(deps, {
    connectionId,
    resource: 'contacts',
    maxCalls: 3,
    throttle: (provider) => budget.take(provider),
  });
  expect(paced).toMatchObject({ kind: 'audited', counts: { calls: 3, listed: 250, ghosts: 1, repaired: 1 } });
  expect(sleeps).toEqual([60_000]);
  expect(callsTo(h, 'crm.objects.list', account.id) - before).toBe(5);
  expect((await tableSnapshot(h, hubspotContacts, connectionId)).has('ghost-budget')).toBe(false);
});

it('items fetched by id are left to a full round when a sync page committed meanwhile', async () => {
  const gmail = SYNC_CASES.find((c) => c.provider === 'google' && c.resource === 'mail')!;
  const deps = engineDeps(h);
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'google',
    email: 'audit-fetch-race@example.com',
    sizes: { messages: 30 },
    resources: ['mail'],
  });
  await syncUntilCaughtUp(deps, connectionId, 'mail');
  const [dropped] = [...(await tableSnapshot(h, gmail, connectionId)).keys()];
  await dropRows(gmail, connectionId, [dropped!]);
  const adapters = new Map(deps.adapters);
  const adapter = adapters.get('google')!;
  const syncer = adapter.sync!.mail!;
  const fetchByIds = syncer.fetchByIds!.bind(syncer);
  adapters.set('google', {
    ...adapter,
    sync: {
      ...adapter.sync,
      mail: {
        ...syncer,
        fetchPage: syncer.fetchPage.bind(syncer),
        listIds: syncer.listIds!.bind(syncer),
        fetchByIds: async (request) => {
          const items = await fetchByIds(request);
          // A new message moves the history id, so the round this sync runs commits a new position.
          h.sandbox.control.addItem('google', account.id, 'messages', { subject: 'meanwhile' });
          await syncUntilCaughtUp(deps, connectionId, 'mail');
          return items;
        },
      },
    },
  });
  const outcome = await runAudit({ ...deps, adapters }, { connectionId, resource: 'mail', maxCalls: 50 });
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
  const gmail = SYNC_CASES.find((c) => c.provider === 'google' && c.resource === 'mail')!;
  const deps = engineDeps(h);
  const { connectionId } = await connectSandboxAccount(h, {
    provider: 'google',
    email: 'audit-stepped-over@example.com',
    sizes: { messages: 30 },
    resources: ['mail'],
  });
  await syncUntilCaughtUp(deps, connectionId, 'mail');
  const adapters = new Map(deps.adapters);
  const adapter = adapters.get('google')!;
  const syncer = adapter.sync!.mail!;
  const listIds = syncer.listIds!.bind(syncer);
  let skipped = '';
  adapters.set('google', {
    ...adapter,
    sync: {
      ...adapter.sync,
      mail: {
        ...syncer,
        fetchPage: syncer.fetchPage.bind(syncer),
        fetchByIds: syncer.fetchByIds!.bind(syncer),
        listIds: async (request) => {
          const page = await listIds(request);
          skipped = page.ids[0]!;
          return { ...page, ids: page.ids.slice(1) };
        },
      },
    },
  });
  const outcome = await runAudit({ ...deps, adapters }, { connectionId, resource: 'mail', maxCalls: 50 });
  expect(outcome).toMatchObject({
    kind: 'audited',
    counts: { listed: 29, missing: 0, ghosts: 0, repaired: 0 },
  });
  expect((await tableSnapshot(h, gmail, connectionId)).has(skipped)).toBe(true);
});
