import {
  DEFAULT_CLIENT,
  createHubspotModule,
  startSandbox,
  type Account,
  type RunningSandbox,
} from '@crm-sync/provider-sandbox';
import { type ItemLinks, type ProviderAdapter, type ResourceSyncer } from '@crm-sync/core';
import { endpointsOf, REDIRECT_URI } from '../../../test/sandbox';
import { createHubSpotAdapter, type HubSpotAdapterOptions } from '../index';
import { connect, createPortal, manualClock, runRound } from '../../../test/hubspot';

// Associations and properties as the syncers read them (docs/providers/hubspot.md#associations,
// #associations-and-incremental-sync, #properties).

const HOUR = 3_600_000;
const SIZES = { contacts: 30, companies: 6, deals: 12 };
const clock = manualClock(Math.floor(Date.now() / 1000) * 1000);
let sandbox: RunningSandbox;
let portal: Account;
let accessToken: string;

function adapter(options: Partial<HubSpotAdapterOptions> = {}): ProviderAdapter {
  return createHubSpotAdapter({
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: DEFAULT_CLIENT.clientSecret,
    redirectUri: REDIRECT_URI,
    endpoints: endpointsOf(sandbox).hubspot,
    syncOverlapMs: 0,
    ...options,
  });
}
const syncer = (a: ProviderAdapter, type: 'contacts' | 'companies' | 'deals'): ResourceSyncer =>
  a.sync![type]!;

beforeAll(async () => {
  sandbox = await startSandbox({
    clock,
    modules: [createHubspotModule({ limits: { searchPerSecond: 1e6, tenSecondly: 1e6 } })],
  });
  portal = createPortal(sandbox, 'links@acme.example', SIZES);
  ({ accessToken } = await connect(sandbox, adapter(), portal.email));
  clock.advance(HOUR);
});
afterAll(() => sandbox.close());

const contact = (n: number) => String(1_000_001 + n);
const company = (n: number) => String(2_000_001 + n);
const deal = (n: number) => String(3_000_001 + n);
/** A round's link sets as `from>toType: [to ids]`, the last set per object and type. */
const linkMap = (sets: ItemLinks[]) =>
  Object.fromEntries(sets.map((s) => [`${s.fromId}>${s.toType}`, s.links.map((l) => l.toId)]));

test('a full round lists every object with its associations; each pair of types from one side only', async () => {
  const deals = await runRound(
    syncer(adapter(), 'deals'),
    accessToken,
    { mode: 'full', cursor: null },
    clock,
  );
  const links = linkMap(deals.links);
  expect(Object.keys(links)).toHaveLength(SIZES.deals * 2);
  expect(links[`${deal(7)}>contacts`]).toEqual([contact(7), contact(8)]);
  expect(links[`${deal(7)}>companies`]).toEqual([company(1)]);
  const primary = deals.links.find((s) => s.fromId === deal(7) && s.toType === 'companies')!.links[0]!.types;
  expect(primary).toEqual([
    { category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' },
    { category: 'HUBSPOT_DEFINED', typeId: 341, label: null },
  ]);
  const contacts = await runRound(
    syncer(adapter(), 'contacts'),
    accessToken,
    { mode: 'full', cursor: null },
    clock,
  );
  expect(linkMap(contacts.links)[`${contact(13)}>companies`]).toEqual([company(1)]);
  const companies = await runRound(
    syncer(adapter(), 'companies'),
    accessToken,
    { mode: 'full', cursor: null },
    clock,
  );
  expect(companies.links).toEqual([]);
});

test('association changes move no date: an incremental round sees them through its association pass', async () => {
  const deals = syncer(adapter(), 'deals');
  const full = await runRound(deals, accessToken, { mode: 'full', cursor: null }, clock);
  clock.advance(60_000);
  sandbox.control.providerOp('hubspot', portal.id, 'associate', {
    from: { type: 'deals', id: deal(2) },
    to: { type: 'contacts', id: contact(20) },
  });
  sandbox.control.providerOp('hubspot', portal.id, 'dissociate', {
    from: { type: 'deals', id: deal(2) },
    to: { type: 'companies', id: company(2) },
  });
  // No object changed and no pass is due (the full round was one): nothing to report.
  const quiet = await runRound(deals, accessToken, { mode: 'incremental', cursor: full.cursor }, clock);
  expect([quiet.upserts, quiet.links]).toEqual([[], []]);

  clock.advance(HOUR);
  const pass = await runRound(deals, accessToken, { mode: 'incremental', cursor: quiet.cursor }, clock);
  expect(pass.upserts).toEqual([]);
  const links = linkMap(pass.links);
  expect(links[`${deal(2)}>contacts`]).toEqual([contact(2), contact(3), contact(20)]);
  expect(links[`${deal(2)}>companies`]).toEqual([]);
  // The pass is recorded: the next round runs none.
  clock.advance(60_000);
  const after = await runRound(deals, accessToken, { mode: 'incremental', cursor: pass.cursor }, clock);
  expect(after.links).toEqual([]);
});

test('an object a round fetches comes with its current associations, pass or not', async () => {
  const contacts = syncer(adapter(), 'contacts');
  const full = await runRound(contacts, accessToken, { mode: 'full', cursor: null }, clock);
  clock.advance(60_000);
  sandbox.control.providerOp('hubspot', portal.id, 'associate', {
    from: { type: 'contacts', id: contact(4) },
    to: { type: 'companies', id: company(5) },
  });
  sandbox.control.updateItem('hubspot', portal.id, 'contacts', contact(4), { firstname: 'Moved' });
  const round = await runRound(contacts, accessToken, { mode: 'incremental', cursor: full.cursor }, clock);
  expect(round.upserts.map((r) => r.externalId)).toEqual([contact(4)]);
  expect(linkMap(round.links)).toEqual({ [`${contact(4)}>companies`]: [company(4), company(5)] });
});

test('a custom property created at HubSpot is synced from the next round on; a configured list syncs only it', async () => {
  const contacts = syncer(adapter(), 'contacts');
  clock.advance(60_000); // past the previous test's edit, which the full round's start would otherwise include
  const full = await runRound(contacts, accessToken, { mode: 'full', cursor: null }, clock);
  expect(full.upserts[0]!.properties).not.toHaveProperty('loyalty_tier');
  clock.advance(60_000);
  sandbox.control.providerOp('hubspot', portal.id, 'defineProperty', {
    objectType: 'contacts',
    name: 'loyalty_tier',
    label: 'Loyalty tier',
    type: 'enumeration',
    fieldType: 'select',
  });
  sandbox.control.updateItem('hubspot', portal.id, 'contacts', contact(9), { loyalty_tier: 'gold' });
  const round = await runRound(contacts, accessToken, { mode: 'incremental', cursor: full.cursor }, clock);
  expect(round.upserts.map((r) => [r.externalId, r.properties.loyalty_tier])).toEqual([[contact(9), 'gold']]);

  const configured = syncer(adapter({ syncProperties: { contacts: ['email'] } }), 'contacts');
  const listed = await runRound(configured, accessToken, { mode: 'full', cursor: null }, clock);
  expect(Object.keys(listed.upserts[0]!.properties).sort()).toEqual([
    'createdate',
    'email',
    'hs_object_id',
    'lastmodifieddate',
  ]);
});
