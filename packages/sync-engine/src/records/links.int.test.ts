import { createConnectionsHarness, openRows, type ConnectionsHarness } from '@crm-sync/connections/testing';
import type { Resource } from '@crm-sync/core';
import { createHubSpotAdapter, sandboxEndpoints } from '@crm-sync/providers';
import { DEFAULT_CLIENT } from '@crm-sync/provider-sandbox';
import { syncStates } from '@crm-sync/sync-states';
import { connectSandboxAccount, engineDeps } from '../../test';
import { runSlice } from '../slice/runSlice';

// Links between CRM objects end to end (crm_associations): a syncer's link sets land, rows follow additions and
// removals made at the provider through incremental rounds, and go with a deleted object. Also: a property the
// provider gains is stored without a code change. HubSpot is the provider that has both.

let h: ConnectionsHarness;
let connectionId: string;
let accountId: string;
beforeAll(async () => {
  h = await createConnectionsHarness();
  ({
    connectionId,
    account: { id: accountId },
  } = await connectSandboxAccount(h, {
    provider: 'hubspot',
    email: 'links@acme.example',
    sizes: { contacts: 20, companies: 4, deals: 10 },
    resources: ['contacts', 'deals'],
  }));
});
afterAll(() => h.close());

/** The engine with a HubSpot adapter whose every incremental round ends with an association pass. */
function deps() {
  const base = engineDeps(h);
  const endpoints = sandboxEndpoints({ httpUrl: h.sandbox.urls.google, httpsUrl: h.sandbox.urls.microsoft });
  const hubspot = createHubSpotAdapter({
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: DEFAULT_CLIENT.clientSecret,
    redirectUri: 'http://127.0.0.1:9/unused',
    endpoints: endpoints.hubspot,
    syncAssociationPassEveryMs: 0,
  });
  return { ...base, adapters: new Map([...base.adapters, ['hubspot', hubspot] as const]) };
}

async function round(resource: Resource) {
  await syncStates.triggerNow(h.db.dataSource, { connectionId, resources: [resource], full: false });
  for (let i = 0; i < 100; i += 1) {
    const outcome = await runSlice(deps(), { connectionId, resource, budgetMs: 60_000 });
    if (outcome.kind === 'caught_up') return outcome;
    if (outcome.kind !== 'more') throw new Error(`slice ended ${outcome.kind}`);
  }
  throw new Error('round did not complete');
}

const links = async (fromType: string, fromId: string) =>
  (
    (await h.db.dataSource.query(
      `SELECT to_type || ':' || to_id AS link FROM crm_associations
        WHERE connection_id = $1 AND from_type = $2 AND from_id = $3 ORDER BY 1`,
      [connectionId, fromType, fromId],
    )) as { link: string }[]
  ).map((r) => r.link);

const op = (name: string, body: unknown) => h.sandbox.control.providerOp('hubspot', accountId, name, body);
const deal = (n: number) => String(3_000_001 + n);
const contact = (n: number) => String(1_000_001 + n);
const company = (n: number) => String(2_000_001 + n);

test('a full round stores every association once, from the side that owns it, with its types', async () => {
  const done = await round('deals');
  expect(done.round.mode).toBe('full');
  await round('contacts');
  const [{ count }] = (await h.db.dataSource.query(
    `SELECT count(*)::int AS count FROM crm_associations WHERE connection_id = $1`,
    [connectionId],
  )) as [{ count: number }];
  expect(count).toBe(10 * 3 + 20);
  expect(await links('deals', deal(6))).toEqual([
    `companies:${company(2)}`,
    `contacts:${contact(6)}`,
    `contacts:${contact(7)}`,
  ]);
  const [{ types }] = (await h.db.dataSource.query(
    `SELECT types FROM crm_associations WHERE connection_id = $1 AND from_id = $2 AND to_type = 'companies'`,
    [connectionId, deal(6)],
  )) as [{ types: unknown }];
  expect(types).toEqual([
    { category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' },
    { category: 'HUBSPOT_DEFINED', typeId: 341, label: null },
  ]);
});

test('associations added and removed at the provider are reflected by the next incremental round', async () => {
  op('associate', { from: { type: 'deals', id: deal(2) }, to: { type: 'contacts', id: contact(15) } });
  op('dissociate', { from: { type: 'deals', id: deal(2) }, to: { type: 'companies', id: company(2) } });
  op('dissociate', { from: { type: 'contacts', id: contact(9) }, to: { type: 'companies', id: company(1) } });
  op('associate', { from: { type: 'companies', id: company(3) }, to: { type: 'contacts', id: contact(9) } });
  expect((await round('deals')).round.mode).toBe('incremental');
  await round('contacts');
  expect(await links('deals', deal(2))).toEqual([
    `contacts:${contact(2)}`,
    `contacts:${contact(3)}`,
    `contacts:${contact(15)}`,
  ]);
  expect(await links('contacts', contact(9))).toEqual([`companies:${company(3)}`]);
  // Untouched objects keep theirs.
  expect(await links('deals', deal(6))).toEqual([
    `companies:${company(2)}`,
    `contacts:${contact(6)}`,
    `contacts:${contact(7)}`,
  ]);
});

test('an archived object loses its links; a property the portal gains is stored with no code change', async () => {
  h.sandbox.control.updateItem('hubspot', accountId, 'deals', deal(5), { archived: true });
  op('defineProperty', {
    objectType: 'contacts',
    name: 'renewal_risk',
    label: 'Renewal risk',
    type: 'string',
    fieldType: 'text',
  });
  h.sandbox.control.updateItem('hubspot', accountId, 'contacts', contact(4), { renewal_risk: 'high' });
  await round('deals');
  await round('contacts');
  expect(await links('deals', deal(5))).toEqual([]);
  const [row] = await openRows(
    h.db.dataSource,
    h.deps.content,
    'crm_objects',
    `connection_id = $1 AND object_type = 'contacts' AND external_id = $2`,
    [connectionId, contact(4)],
  );
  expect((row?.properties as Record<string, unknown>).renewal_risk).toBe('high');
});

test('a completed full round drops the links of rows deleted outside a page (a completeness-audit ghost)', async () => {
  await h.db.dataSource.query(
    `INSERT INTO crm_objects (connection_id, external_id, content_hash, object_type, deleted_at)
     VALUES ($1, '3999999', 'h', 'deals', now())`,
    [connectionId],
  );
  await h.db.dataSource.query(
    `INSERT INTO crm_associations (connection_id, from_type, from_id, to_type, to_id)
     VALUES ($1, 'deals', '3999999', 'companies', $2)`,
    [connectionId, company(1)],
  );
  await syncStates.triggerNow(h.db.dataSource, { connectionId, resources: ['deals'], full: true });
  expect((await round('deals')).round.mode).toBe('full');
  expect(await links('deals', '3999999')).toEqual([]);
  expect(await links('deals', deal(6))).toHaveLength(3);
});
