import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
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

  const owners = await h.db.dataSource.query<
    { id: string; email: string; first: string; user_id: string; archived: string }[]
  >(
    `SELECT external_id AS id, properties->>'email' AS email, properties->>'firstName' AS first,
            properties->>'userId' AS user_id, properties->>'archived' AS archived
       FROM crm_objects WHERE connection_id = $1 AND object_type = 'owners' AND deleted_at IS NULL`,
    [connectionId],
  );
  expect(owners.length).toBeGreaterThan(1);
  for (const owner of owners) {
    expect(owner.email).toMatch(/@acme\.example$/);
    expect(owner.first).toEqual(expect.any(String));
    // The owner id objects hold is never the user id (docs/providers/hubspot.md#owners).
    expect(owner.user_id).not.toBe(owner.id);
    expect(owner.archived).toBe('false');
  }

  // The CRM's join: each owned object to its owner, through the row key (connection, type, id).
  const joined = await h.db.dataSource.query<{ type: string; owned: number; found: number }[]>(
    `SELECT o.object_type AS type, count(*)::int AS owned, count(w.id)::int AS found
       FROM crm_objects o
       LEFT JOIN crm_objects w ON w.connection_id = o.connection_id AND w.object_type = 'owners'
         AND w.external_id = o.properties->>'hubspot_owner_id'
      WHERE o.connection_id = $1 AND o.object_type IN ('contacts', 'deals')
        AND o.properties->>'hubspot_owner_id' IS NOT NULL
      GROUP BY 1 ORDER BY 1`,
    [connectionId],
  );
  expect(joined.map((r) => r.type)).toEqual(['contacts', 'deals']);
  for (const row of joined) expect(row.found).toBe(row.owned);

  // Each round is a full listing: a second one rewrites nothing and marks nothing deleted.
  await syncStates.triggerNow(h.db.dataSource, { connectionId, resources: ['owners'], full: false });
  expect(await syncUntilCaughtUp(deps, connectionId, 'owners')).toBe('full');
  const live = await h.db.dataSource.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM crm_objects
      WHERE connection_id = $1 AND object_type = 'owners' AND deleted_at IS NULL`,
    [connectionId],
  );
  expect(live[0]?.n).toBe(owners.length);
});
