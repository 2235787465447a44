import { type Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { type Account, type RunningSandbox } from '../../core/types';
import { createPortal, install, sdk, startHubspotSandbox } from '../../../test/hubspot';

let sandbox: RunningSandbox;
let portal: Account;
let client: Client;

beforeAll(async () => {
  sandbox = await startHubspotSandbox({}, { limits: { searchPerSecond: 1000, tenSecondly: 1000 } });
  portal = createPortal(sandbox, 'gdpr@acme.example', { contacts: 6, deals: 3 });
  client = sdk(sandbox, (await install(sandbox, portal.email)).accessToken);
});
afterAll(() => sandbox.close());

/** The SDK (13.5) does not expose its contacts GDPRApi; `apiRequest` sends the call with the client's token. */
async function gdprDelete(objectId: string, idProperty?: string) {
  const response = await client.apiRequest({
    method: 'POST',
    path: '/crm/v3/objects/contacts/gdpr-delete',
    body: { objectId, ...(idProperty === undefined ? {} : { idProperty }) },
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

async function everywhere(type: 'contacts' | 'deals') {
  const api = client.crm[type];
  const listed = (await api.basicApi.getPage(100)).results.map((r) => r.id);
  const archived = (await api.basicApi.getPage(100, undefined, undefined, undefined, undefined, true))
    .results;
  const searched = (await api.searchApi.doSearch({ limit: 200 })).results.map((r) => r.id);
  return { listed, archived: archived.map((r) => r.id), searched };
}

test('a GDPR delete removes the contact from list, search and the archived list', async () => {
  const [byId, byEmail, archivedFirst] = (await client.crm.contacts.basicApi.getPage(3)).results;
  sandbox.control.updateItem('hubspot', portal.id, 'contacts', archivedFirst!.id, { archived: true });
  expect(await gdprDelete(byId!.id)).toEqual({ status: 204, body: undefined });
  const email = byEmail!.properties.email!;
  expect((await gdprDelete(email.toUpperCase(), 'email')).status).toBe(204);
  expect((await gdprDelete(archivedFirst!.id)).status).toBe(204);
  const after = await everywhere('contacts');
  for (const gone of [byId!.id, byEmail!.id, archivedFirst!.id]) {
    expect(after.listed).not.toContain(gone);
    expect(after.searched).not.toContain(gone);
    expect(after.archived).not.toContain(gone);
  }
  expect(after.listed).toHaveLength(3);
  const byEmailSearch = await client.crm.contacts.searchApi.doSearch({
    filterGroups: [{ filters: [{ propertyName: 'email', operator: FilterOperatorEnum.Eq, value: email }] }],
  });
  expect(byEmailSearch.total).toBe(0);
});

test('an unknown id is a 404; an unknown email is accepted (HubSpot blocklists it)', async () => {
  expect(await gdprDelete('999')).toMatchObject({
    status: 404,
    body: { status: 'error', category: 'OBJECT_NOT_FOUND' },
  });
  expect((await gdprDelete('nobody@nowhere.example', 'email')).status).toBe(204);
});

test('the control API hard-deletes any type the same way', async () => {
  const [deal] = (await client.crm.deals.basicApi.getPage(1)).results;
  sandbox.control.deleteItem('hubspot', portal.id, 'deals', deal!.id);
  const after = await everywhere('deals');
  expect([...after.listed, ...after.searched, ...after.archived]).not.toContain(deal!.id);
  expect(after.listed).toHaveLength(2);
});
