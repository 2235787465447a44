import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { lastAudit } from '@crm-sync/sync-states/testing';
import {
  callsTo,
  connectSandboxAccount,
  dropRows,
  engineDeps,
  plantGhost,
  sandboxIds,
  sandboxSnapshot,
  SYNC_CASES,
  syncUntilCaughtUp,
  tableSnapshot,
  type SyncCase,
} from '../../test';
import { AuditCallBudget } from './callBudget';
import { runAudit } from './runAudit';

// The completeness audit (issue 16): the provider's id set against the table's, ghosts deleted, missing items
// stored (fetched by id) or brought back by the full round the audit asks for, within its call budget; real
// Postgres, Redis and the sandbox. Audits beside a running sync: auditRaces.int.test.ts.

let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

const sorted = (ids: Iterable<string>) => [...ids].sort();
const fetchesById = (c: SyncCase) =>
  h.deps.adapters.get(c.provider)?.sync?.[c.resource]?.fetchByIds !== undefined;
const hubspotContacts = SYNC_CASES.find((c) => c.provider === 'hubspot' && c.resource === 'contacts')!;

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

    await dropRows(h, c, connectionId, synced.slice(0, 2));
    await plantGhost(h, c, connectionId, 'ghost-1');
    // Deleted at the provider with no round run since (for HubSpot a permanent delete, which no cursor ever shows):
    // only the listing can tell.
    const dropped = new Set(synced.slice(0, 2));
    const wire = (id: string) => c.wireId?.(id, account) ?? id;
    const kept = sandboxIds(h, c, account.id).find((id) => !dropped.has(wire(id)));
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

it('respects its call budget: past it, the run stops and changes nothing', async () => {
  const deps = engineDeps(h);
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'hubspot',
    email: 'audit-budget@example.com',
    sizes: { contacts: 250 },
    resources: ['contacts'],
  });
  await syncUntilCaughtUp(deps, connectionId, 'contacts');
  await plantGhost(h, hubspotContacts, connectionId, 'ghost-budget');
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

it("counts the id pass against the sync's share of the connection's requests and waits while the provider holds it", async () => {
  const deps = engineDeps(h);
  const { connectionId } = await connectSandboxAccount(h, {
    provider: 'hubspot',
    email: 'audit-connection-budget@example.com',
    sizes: { contacts: 250 },
    resources: ['contacts'],
  });
  await syncUntilCaughtUp(deps, connectionId, 'contacts');
  const budget = h.deps.adapters.get('hubspot')!.api.requestBudget;
  const windowOf = (at: number) => Math.floor(at / budget.windowMs);
  const used = async (window: number) =>
    Number((await h.redis.redis.get(`${h.redis.prefix}provider-budget:${connectionId}:sync:${window}`)) ?? 0);
  const begun = Date.now();
  const before = (await used(windowOf(begun))) + (await used(windowOf(begun) + 1));
  // A 429 seen by the sync a moment ago: nobody calls HubSpot for this connection for 400 ms.
  await deps.throttle.hold(connectionId, new Date(begun + 400));
  const outcome = await runAudit(deps, { connectionId, resource: 'contacts', maxCalls: 50 });
  expect(Date.now() - begun).toBeGreaterThanOrEqual(400);
  expect(outcome).toMatchObject({ kind: 'audited', counts: { listed: 250 } });
  const calls = outcome.kind === 'audited' ? outcome.counts.calls : 0;
  const after = (await used(windowOf(begun))) + (await used(windowOf(begun) + 1));
  expect(calls).toBeGreaterThan(1);
  expect(after - before).toBe(calls);
});
