import {
  DEFAULT_CLIENT,
  createHubspotModule,
  startSandbox,
  type Account,
  type RunningSandbox,
} from '@crm-sync/provider-sandbox';
import { type CrmObjectRecord, type ProviderAdapter, type ResourceSyncer } from '@crm-sync/core';
import { endpointsOf, REDIRECT_URI } from '../../../test/sandbox';
import { HUBSPOT_DESCRIPTOR, type HubSpotObjectType } from '../descriptor';
import { createHubSpotAdapter } from '../index';
import { connect, createPortal, manualClock, runRound } from '../../../test/hubspot';
import { parseCursor } from './rounds';

const watermarkOf = (cursor: string) => new Date(parseCursor(cursor)!).toISOString();

const HOUR = 3_600_000;
const MINUTE = 60_000;
const SIZES = { contacts: 230, companies: 120, deals: 130 };
const TYPES: HubSpotObjectType[] = ['contacts', 'companies', 'deals'];
/** A property each type has and syncs, to edit. */
const EDITABLE: Record<HubSpotObjectType, string> = {
  contacts: 'firstname',
  companies: 'city',
  deals: 'dealname',
};

const clock = manualClock(Math.floor(Date.now() / 1000) * 1000);
let sandbox: RunningSandbox;
let portal: Account;
let accessToken: string;
let hubspot: ProviderAdapter;

function adapter(syncOverlapMs?: number): ProviderAdapter {
  return createHubSpotAdapter({
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: DEFAULT_CLIENT.clientSecret,
    redirectUri: REDIRECT_URI,
    endpoints: endpointsOf(sandbox).hubspot,
    ...(syncOverlapMs === undefined ? {} : { syncOverlapMs }),
  });
}

const syncerOf = (a: ProviderAdapter, type: HubSpotObjectType): ResourceSyncer => a.sync![type]!;

beforeAll(async () => {
  // Limits raised: these tests page whole datasets on a clock that only moves when told (the limiters use it too).
  // The limits themselves are exercised in errors.int.test.ts.
  sandbox = await startSandbox({
    clock,
    modules: [createHubspotModule({ limits: { searchPerSecond: 1e6, tenSecondly: 1e6 } })],
  });
  portal = createPortal(sandbox, 'sync@acme.example', SIZES);
  hubspot = adapter();
  ({ accessToken } = await connect(sandbox, hubspot, portal.email));
  // The dataset was last modified before the account was created; sync an hour later.
  clock.advance(HOUR);
});
afterAll(() => sandbox.close());

/** What the sandbox holds for a type, rendered as the records a sync must land (the test's oracle). */
function expectedRecords(type: HubSpotObjectType): CrmObjectRecord[] {
  const generator = sandbox.context.datasets.generator('hubspot', type)!;
  const dataset = sandbox.context.datasets.open(portal, generator);
  const { modifiedProperty } = HUBSPOT_DESCRIPTOR.crmObjects[type];
  const live = dataset.page({ limit: 1e9, order: 'asc' }).items.filter((item) => {
    const data = item.data as { archivedAt: number | null };
    return data.archivedAt === null;
  });
  return live.map((item) => {
    const data = item.data as {
      properties: Record<string, string | null>;
      createdAt: number;
      updatedAt: number;
    };
    return {
      externalId: item.id,
      objectType: type,
      properties: {
        ...data.properties,
        createdate: new Date(data.createdAt).toISOString(),
        // Every property the portal defines is synced, both last-modified ones of contacts included.
        hs_lastmodifieddate: new Date(data.updatedAt).toISOString(),
        [modifiedProperty]: new Date(data.updatedAt).toISOString(),
        hs_object_id: item.id,
      },
      remoteUpdatedAt: new Date(data.updatedAt),
      // A contact's primary and additional addresses (semicolon-separated), as the sandbox generated them.
      addresses:
        type === 'contacts'
          ? [data.properties.email, ...(data.properties.hs_additional_emails ?? '').split(';')].filter(
              (a): a is string => !!a,
            )
          : [],
    };
  });
}

const byId = (records: CrmObjectRecord[]) =>
  [...records].sort((a, b) => a.externalId.localeCompare(b.externalId));
const idsOf = (records: CrmObjectRecord[]) => [...new Set(records.map((r) => r.externalId))].sort();

describe.each(TYPES)('%s', (type) => {
  let cursor: string;
  /** The dataset's ids before any edit (the oracle drops archived ones, so its order shifts later). */
  let ids: string[];

  test('a full round pages the list to the end and lands exactly the dataset; the cursor is its start', async () => {
    const syncer = syncerOf(hubspot, type);
    expect(syncer).toMatchObject({ resource: type, table: 'crm_objects', objectType: type });
    const startedAt = clock.now();
    const round = await runRound(syncer, accessToken, { mode: 'full', cursor: null }, clock);
    // The live list, then one page of archived objects (none yet).
    expect(round.pages).toBe(Math.ceil(SIZES[type] / HUBSPOT_DESCRIPTOR.listPageSize) + 1);
    expect(round.deletes).toEqual([]);
    expect(byId(round.upserts)).toEqual(byId(expectedRecords(type)));
    expect(watermarkOf(round.cursor)).toBe(new Date(startedAt).toISOString());
    cursor = round.cursor;
    ids = expectedRecords(type).map((r) => r.externalId);
  });

  test('an incremental round returns exactly the edits, additions and archivings since the cursor', async () => {
    const syncer = syncerOf(hubspot, type);
    clock.advance(10 * MINUTE);
    const editedAt = clock.now();
    sandbox.control.updateItem('hubspot', portal.id, type, ids[3]!, { [EDITABLE[type]]: 'Edited' });
    clock.advance(1000);
    sandbox.control.updateItem('hubspot', portal.id, type, ids[7]!, { archived: true });
    clock.advance(1000);
    const added = sandbox.control.addItem('hubspot', portal.id, type, {});
    const addedAt = clock.now();

    const round = await runRound(syncer, accessToken, { mode: 'incremental', cursor }, clock);
    expect(idsOf(round.upserts)).toEqual([ids[3]!, added.id].sort());
    expect(round.deletes).toEqual([ids[7]]);
    const edited = round.upserts.find((r) => r.externalId === ids[3])!;
    expect(edited.remoteUpdatedAt).toEqual(new Date(editedAt));
    const expected = expectedRecords(type).filter(
      (r) => r.externalId === ids[3] || r.externalId === added.id,
    );
    expect(byId(round.upserts)).toEqual(byId(expected));
    // The cursor is the newest change seen, not the clock.
    expect(watermarkOf(round.cursor)).toBe(new Date(addedAt).toISOString());

    expect(edited.properties[EDITABLE[type]]).toBe('Edited');
    cursor = round.cursor;
  });

  test('changes inside the overlap come back until a newer change moves the cursor past them', async () => {
    const syncer = syncerOf(hubspot, type);
    const previous = await runRound(syncer, accessToken, { mode: 'incremental', cursor }, clock);
    clock.advance(HUBSPOT_DESCRIPTOR.syncOverlapMs + MINUTE);
    const again = await runRound(syncer, accessToken, { mode: 'incremental', cursor }, clock);
    expect(again).toMatchObject({ deletes: previous.deletes });
    expect(watermarkOf(again.cursor)).toBe(watermarkOf(cursor));
    expect(idsOf(again.upserts)).toEqual(idsOf(previous.upserts));

    const restored = sandbox.control.updateItem('hubspot', portal.id, type, ids[7]!, { archived: false });
    const restoredAt = new Date(clock.now()).toISOString();
    const back = await runRound(syncer, accessToken, { mode: 'incremental', cursor }, clock);
    expect(idsOf(back.upserts)).toEqual([...idsOf(previous.upserts), restored.id].sort());
    expect(back).toMatchObject({ deletes: [] });
    expect(watermarkOf(back.cursor)).toBe(restoredAt);

    const quiet = await runRound(syncer, accessToken, { mode: 'incremental', cursor: back.cursor }, clock);
    expect(quiet).toMatchObject({ upserts: [expect.objectContaining({ externalId: ids[7] })], deletes: [] });
  });
});

test('a change made while a full round pages is delivered by the next incremental round (no overlap needed)', async () => {
  const exact = adapter(0);
  const syncer = syncerOf(exact, 'contacts');
  clock.advance(HOUR);
  const ids = expectedRecords('contacts').map((r) => r.externalId);
  let added = '';
  const full = await runRound(syncer, accessToken, { mode: 'full', cursor: null }, clock, (page) => {
    if (page !== 1) return;
    // Already listed on page 0: the full round cannot see this edit.
    clock.advance(MINUTE);
    sandbox.control.updateItem('hubspot', portal.id, 'contacts', ids[0]!, { firstname: 'DuringFull' });
    added = sandbox.control.addItem('hubspot', portal.id, 'contacts', { firstname: 'AddedDuringFull' }).id;
  });
  expect(full.upserts.find((r) => r.externalId === ids[0])!.properties.firstname).not.toBe('DuringFull');
  clock.advance(MINUTE);
  const next = await runRound(syncer, accessToken, { mode: 'incremental', cursor: full.cursor }, clock);
  expect(idsOf(next.upserts)).toEqual([ids[0]!, added].sort());
  expect(next.upserts.find((r) => r.externalId === ids[0])!.properties.firstname).toBe('DuringFull');
});

test('continuations and cursors never carry the access token', async () => {
  const round = await runRound(
    syncerOf(hubspot, 'deals'),
    accessToken,
    { mode: 'full', cursor: null },
    clock,
  );
  expect(round.continuations.length).toBeGreaterThan(0);
  expect(JSON.stringify([round.continuations, round.cursor])).not.toContain(accessToken);
});

test('a full round ends by reporting every archived object, however long ago it was archived', async () => {
  const [victim] = expectedRecords('deals').map((r) => r.externalId);
  sandbox.control.updateItem('hubspot', portal.id, 'deals', victim!, { archived: true });
  clock.advance(24 * HOUR);
  const round = await runRound(
    syncerOf(hubspot, 'deals'),
    accessToken,
    { mode: 'full', cursor: null },
    clock,
  );
  expect(round.deletes).toEqual([victim]);
  expect(round.upserts.map((r) => r.externalId)).not.toContain(victim);
  expect(byId(round.upserts)).toEqual(byId(expectedRecords('deals')));
});
