import { type Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { type Account, type RunningSandbox } from '../../core/types';
import { createPortal, install, rejection, sdk, startHubspotSandbox } from '../../../test/hubspot';

let sandbox: RunningSandbox;
let portal: Account;
let big: Account;
let client: Client;
let bigClient: Client;

beforeAll(async () => {
  // Search limits raised: these tests exercise paging and filters, limits.int.test.ts the limits.
  sandbox = await startHubspotSandbox({}, { limits: { searchPerSecond: 1000, tenSecondly: 1000 } });
  portal = createPortal(sandbox, 'crm@acme.example', { contacts: 250, companies: 30, deals: 20 });
  big = createPortal(sandbox, 'crm@big.example', { contacts: 10_050 });
  client = sdk(sandbox, (await install(sandbox, portal.email)).accessToken);
  bigClient = sdk(sandbox, (await install(sandbox, big.email)).accessToken);
});
afterAll(() => sandbox.close());

/** Incremental read as crm-sync does it: GTE watermark, ascending on the same property. */
async function changedSince(watermark: number) {
  const seen: { id: string; modified: string }[] = [];
  let after: string | undefined;
  do {
    const page = await client.crm.contacts.searchApi.doSearch({
      filterGroups: [
        {
          filters: [
            { propertyName: 'lastmodifieddate', operator: FilterOperatorEnum.Gte, value: String(watermark) },
          ],
        },
      ],
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }] as unknown as string[],
      properties: ['email'],
      limit: 100,
      ...(after === undefined ? {} : { after }),
    });
    seen.push(...page.results.map((r) => ({ id: r.id, modified: r.properties.lastmodifieddate ?? '' })));
    after = page.paging?.next?.after;
  } while (after !== undefined);
  return seen;
}

test('list pages to the end with the SDK; repeated `properties` select what comes back', async () => {
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const page = await client.crm.contacts.basicApi.getPage(100, after, ['email', 'firstname']);
    ids.push(...page.results.map((r) => r.id));
    const first = page.results[0];
    expect(Object.keys(first?.properties ?? {}).sort()).toEqual([
      'createdate',
      'email',
      'firstname',
      'hs_object_id',
      'lastmodifieddate',
    ]);
    expect(first?.updatedAt).toBeInstanceOf(Date);
    after = page.paging?.next?.after;
  } while (after !== undefined);
  expect(ids).toHaveLength(250);
  expect(new Set(ids).size).toBe(250);
});

test('search with a watermark returns edits, adds and drops archived objects', async () => {
  const initial = await changedSince(0);
  expect(initial).toHaveLength(250);
  const order = initial.map((r) => Date.parse(r.modified));
  expect(order).toEqual([...order].sort((a, b) => a - b));
  const watermark = Math.max(...order);

  const [edited, archived] = initial;
  sandbox.control.updateItem('hubspot', portal.id, 'contacts', edited!.id, { firstname: 'Edited' });
  sandbox.control.updateItem('hubspot', portal.id, 'contacts', archived!.id, { archived: true });
  const added = sandbox.control.addItem('hubspot', portal.id, 'contacts', { firstname: 'New' });

  const changed = (await changedSince(watermark + 1)).map((r) => r.id);
  expect(changed).toEqual([edited!.id, added.id]);
  const archivedPage = await client.crm.contacts.basicApi.getPage(
    100,
    undefined,
    undefined,
    undefined,
    undefined,
    true,
  );
  expect(archivedPage.results).toEqual([
    expect.objectContaining({ id: archived!.id, archived: true, archivedAt: expect.any(Date) }),
  ]);
});

test('filters: BETWEEN on dates, EQ on text, string sorts and object sorts', async () => {
  const companies = await client.crm.companies.searchApi.doSearch({
    filterGroups: [
      {
        filters: [
          {
            propertyName: 'hs_lastmodifieddate',
            operator: FilterOperatorEnum.Between,
            value: '0',
            highValue: String(portal.createdAt),
          },
        ],
      },
    ],
    sorts: ['-createdate'],
    limit: 200,
  });
  expect(companies.total).toBe(30);
  const created = companies.results.map((r) => r.createdAt.getTime());
  expect(created).toEqual([...created].sort((a, b) => b - a));

  const one = companies.results[3]!;
  const byName = await client.crm.companies.searchApi.doSearch({
    filterGroups: [
      {
        filters: [
          {
            propertyName: 'name',
            operator: FilterOperatorEnum.Eq,
            value: one.properties.name!.toUpperCase(),
          },
        ],
      },
    ],
  });
  expect(byName.results.map((r) => r.id)).toEqual([one.id]);
  const deals = await client.crm.deals.searchApi.doSearch({ query: 'renewal', limit: 5 });
  expect(deals).toMatchObject({ total: 20, paging: { next: { after: expect.any(String) } } });
});

test.each([
  ['6 filter groups', 6, 1, /filter groups: 6/],
  ['7 filters in a group', 1, 7, /in a filter group: 7/],
  ['20 filters in all', 4, 5, /Too many filters: 20/],
])('%s is a 400 VALIDATION_ERROR', async (_name, groups, perGroup, message) => {
  const filter = { propertyName: 'email', operator: FilterOperatorEnum.HasProperty };
  const filterGroups = Array.from({ length: groups }, () => ({
    filters: Array.from({ length: perGroup }, () => filter),
  }));
  const error = await rejection(client.crm.contacts.searchApi.doSearch({ filterGroups }));
  expect(error).toMatchObject({
    code: 400,
    body: { status: 'error', category: 'VALIDATION_ERROR', message },
  });
});

test('5 groups of 3 filters stay within the limits', async () => {
  const filter = { propertyName: 'email', operator: FilterOperatorEnum.HasProperty };
  const filterGroups = Array.from({ length: 5 }, () => ({ filters: [filter, filter, filter] }));
  expect((await client.crm.contacts.searchApi.doSearch({ filterGroups })).total).toBeGreaterThan(0);
});

test('search stops at 10,000 results: the cursor is handed out, following it is a 400', async () => {
  let after: string | undefined;
  let served = 0;
  for (let page = 0; page < 50; page++) {
    const result = await bigClient.crm.contacts.searchApi.doSearch({
      limit: 200,
      ...(after ? { after } : {}),
    });
    expect(result.total).toBe(10_050);
    served += result.results.length;
    after = result.paging?.next?.after;
  }
  expect(served).toBe(10_000);
  expect(after).toEqual(expect.any(String));
  const beyond = await rejection(bigClient.crm.contacts.searchApi.doSearch({ after, limit: 10 }));
  expect(beyond).toMatchObject({ code: 400, body: { status: 'error', category: 'VALIDATION_ERROR' } });
  // 50 searches over 10,050 contacts: about 20 s on a loaded 2-core machine, past jest's default 30 s in a full run.
}, 120_000);

test('list limit above 100 and search limit above 200 are refused', async () => {
  expect(await rejection(client.crm.contacts.basicApi.getPage(101))).toMatchObject({ code: 400 });
  expect(await rejection(client.crm.contacts.searchApi.doSearch({ limit: 201 }))).toMatchObject({
    code: 400,
  });
});
