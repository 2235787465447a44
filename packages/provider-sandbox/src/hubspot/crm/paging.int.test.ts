import { type Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { type Account, type RunningSandbox } from '../../core/types';
import { type SearchPaging } from './search';
import { createPortal, install, rejection, sdk, startHubspotSandbox } from '../../../test/hubspot';

const sandboxes: RunningSandbox[] = [];
afterAll(() => Promise.all(sandboxes.map((s) => s.close())));

async function portalWith(paging: SearchPaging, contacts: number, resultCap?: number) {
  const sandbox = await startHubspotSandbox(
    {},
    {
      limits: { searchPerSecond: 1000, tenSecondly: 1000 },
      search: { paging, ...(resultCap === undefined ? {} : { resultCap }) },
    },
  );
  sandboxes.push(sandbox);
  const portal = createPortal(sandbox, `${paging}@paging.example`, { contacts });
  const client = sdk(sandbox, (await install(sandbox, portal.email)).accessToken);
  return { sandbox, portal, client };
}

/** Everything modified since 0, ascending by last-modified: crm-sync's old incremental query. */
const byModified = (after?: string) => ({
  filterGroups: [
    { filters: [{ propertyName: 'lastmodifieddate', operator: FilterOperatorEnum.Gte, value: '0' }] },
  ],
  sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }] as unknown as string[],
  limit: 10,
  ...(after === undefined ? {} : { after }),
});

const invalidCursor = { code: 400, body: { status: 'error', category: 'VALIDATION_ERROR' } };

describe('list', () => {
  let sandbox: RunningSandbox;
  let portal: Account;
  let client: Client;
  beforeAll(async () => ({ sandbox, portal, client } = await portalWith('offset', 30)));

  test('`after` is a key: edits, deletes and adds between pages neither skip nor repeat an object', async () => {
    const api = client.crm.contacts.basicApi;
    const first = await api.getPage(10);
    const firstIds = first.results.map((r) => r.id);
    const control = sandbox.control;
    control.deleteItem('hubspot', portal.id, 'contacts', firstIds[2]!);
    control.updateItem('hubspot', portal.id, 'contacts', firstIds[5]!, { firstname: 'Moved' });
    const added = control.addItem('hubspot', portal.id, 'contacts', { firstname: 'New' });
    const ids = [...firstIds];
    let after = first.paging?.next?.after;
    while (after !== undefined) {
      const page = await api.getPage(10, after);
      ids.push(...page.results.map((r) => r.id));
      after = page.paging?.next?.after;
    }
    expect(ids).toHaveLength(31);
    expect(new Set(ids).size).toBe(31);
    expect(ids.at(-1)).toBe(added.id);
  });

  test('an edited or foreign `after` is a 400, never another page', async () => {
    const api = client.crm.contacts.basicApi;
    const after = (await api.getPage(5)).paging?.next?.after ?? '';
    const edited = `${after.slice(0, -2)}${after.endsWith('A') ? 'B' : 'A'}A`;
    const search = await client.crm.contacts.searchApi.doSearch({ limit: 5 });
    for (const bad of [edited, '5', search.paging?.next?.after ?? '']) {
      expect(await rejection(api.getPage(5, bad))).toMatchObject(invalidCursor);
    }
    // A contacts cursor sent to companies, or to the archived list, is foreign too.
    expect(await rejection(client.crm.companies.basicApi.getPage(5, after))).toMatchObject(invalidCursor);
    const archived = api.getPage(5, after, undefined, undefined, undefined, true);
    expect(await rejection(archived)).toMatchObject(invalidCursor);
  });
});

describe('search', () => {
  test('offset paging (HubSpot): an object edited mid-paging moves to the end and the next one is skipped', async () => {
    const { sandbox, portal, client } = await portalWith('offset', 30);
    const first = await client.crm.contacts.searchApi.doSearch(byModified());
    const moved = first.results[3]!.id;
    sandbox.control.updateItem('hubspot', portal.id, 'contacts', moved, { firstname: 'Moved' });
    const ids = first.results.map((r) => r.id);
    let after = first.paging?.next?.after;
    while (after !== undefined) {
      const page = await client.crm.contacts.searchApi.doSearch(byModified(after));
      ids.push(...page.results.map((r) => r.id));
      after = page.paging?.next?.after;
    }
    expect(ids).toHaveLength(30);
    expect(ids.at(-1)).toBe(moved);
    expect(new Set(ids).size).toBe(29);
  });

  test('keyset paging: the edited object comes again at the end and nothing is skipped', async () => {
    const { sandbox, portal, client } = await portalWith('keyset', 30);
    const first = await client.crm.contacts.searchApi.doSearch(byModified());
    const moved = first.results[3]!.id;
    sandbox.control.updateItem('hubspot', portal.id, 'contacts', moved, { firstname: 'Moved' });
    const ids = first.results.map((r) => r.id);
    let after = first.paging?.next?.after;
    while (after !== undefined) {
      const page = await client.crm.contacts.searchApi.doSearch(byModified(after));
      ids.push(...page.results.map((r) => r.id));
      after = page.paging?.next?.after;
    }
    expect(ids).toHaveLength(31);
    expect(new Set(ids).size).toBe(30);
    expect(ids.at(-1)).toBe(moved);
  });

  test('an edited `after`, or one from another query, is a 400', async () => {
    const { client } = await portalWith('offset', 30);
    const search = client.crm.contacts.searchApi;
    const after = (await search.doSearch(byModified())).paging?.next?.after ?? '';
    expect(await search.doSearch({ ...byModified(after), limit: 200 })).toMatchObject({ total: 30 });
    const otherQuery = { ...byModified(after), sorts: ['-createdate'] };
    for (const request of [byModified('10'), byModified(`x${after}`), otherQuery]) {
      expect(await rejection(search.doSearch(request))).toMatchObject(invalidCursor);
    }
    expect(await rejection(client.crm.companies.searchApi.doSearch(byModified(after)))).toMatchObject(
      invalidCursor,
    );
  });

  test('the result cap (configurable) is where following `after` becomes a 400', async () => {
    const { client } = await portalWith('keyset', 30, 25);
    const search = client.crm.contacts.searchApi;
    const first = await search.doSearch({ ...byModified(), limit: 20 });
    const second = await search.doSearch({ ...byModified(first.paging?.next?.after), limit: 20 });
    expect(second.results).toHaveLength(5);
    expect(second.paging?.next?.after).toEqual(expect.any(String));
    const beyond = search.doSearch(byModified(second.paging?.next?.after));
    expect(await rejection(beyond)).toMatchObject(invalidCursor);
  });

  test('more than one sort is refused', async () => {
    const { client } = await portalWith('offset', 3);
    const sorts = ['createdate', '-lastmodifieddate'];
    expect(await rejection(client.crm.contacts.searchApi.doSearch({ sorts }))).toMatchObject(invalidCursor);
  });
});
