import { createConnectionsHarness, openRows, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { syncStates } from '@crm-sync/sync-states';
import { connectSandboxAccount, engineDeps, syncUntilCaughtUp } from '../../test';

// HubSpot owners (issue 18): synced from the owners API into crm_objects rows of type `owners`, which objects name in
// `hubspot_owner_id`; every round lists them all, so one that is no longer listed is marked deleted.

let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

test("owners are synced and every object's hubspot_owner_id finds its owner row", async () => {
  const { connectionId } = await connectSandboxAccount(h, {
    provider: 'hubspot',
    email: 'owners@acme.example',
    sizes: { contacts: 40, deals: 20 },
    resources: ['contacts', 'deals', 'owners'],
  });
  const deps = engineDeps(h);
  for (const resource of ['owners', 'contacts', 'deals'] as const)
    await syncUntilCaughtUp(deps, connectionId, resource);

  const live = (types: string) =>
    openRows(
      h.db.dataSource,
      h.deps.content,
      'crm_objects',
      `connection_id = $1 AND object_type IN (${types}) AND deleted_at IS NULL`,
      [connectionId],
    );
  const props = (row: Record<string, unknown>) => row.properties as Record<string, string | null>;
  const owners = await live(`'owners'`);
  expect(owners.length).toBeGreaterThan(1);
  for (const owner of owners) {
    expect(props(owner).email).toMatch(/@acme\.example$/);
    expect(props(owner).firstName).toEqual(expect.any(String));
    // The owner id objects hold is never the user id (docs/providers/hubspot.md#owners).
    expect(props(owner).userId).not.toBe(owner.external_id);
    expect(props(owner).archived).toBe('false');
  }

  // The CRM's join: each owned object to its owner, through the row key (connection, type, id). The owner id is
  // sealed with the rest of the property bag, so the join runs on opened rows.
  const ownerIds = new Set(owners.map((o) => o.external_id));
  const owned = (await live(`'contacts', 'deals'`)).filter((o) => props(o).hubspot_owner_id);
  expect(new Set(owned.map((o) => o.object_type))).toEqual(new Set(['contacts', 'deals']));
  for (const object of owned) expect(ownerIds.has(props(object).hubspot_owner_id)).toBe(true);

  // Each round is a full listing: a second one rewrites nothing and marks nothing deleted.
  await syncStates.triggerNow(h.db.dataSource, { connectionId, resources: ['owners'], full: false });
  expect(await syncUntilCaughtUp(deps, connectionId, 'owners')).toBe('full');
  expect(await live(`'owners'`)).toHaveLength(owners.length);
});
