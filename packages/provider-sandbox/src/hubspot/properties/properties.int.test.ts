import { type Client } from '@hubspot/api-client';
import { type Account, type RunningSandbox } from '../../core/types';
import { createPortal, install, rejection, sdk, startHubspotSandbox } from '../../../test/hubspot';

let sandbox: RunningSandbox;
let portal: Account;
let client: Client;

beforeAll(async () => {
  sandbox = await startHubspotSandbox();
  portal = createPortal(sandbox, 'props@acme.example', { contacts: 20, companies: 5, deals: 5 });
  client = sdk(sandbox, (await install(sandbox, portal.email)).accessToken);
});
afterAll(() => sandbox.close());

const names = async (type: string) =>
  (await client.crm.properties.coreApi.getAll(type)).results.map((p) => p.name);

test('every property the objects carry is defined, with its type and field type', async () => {
  const all = await client.crm.properties.coreApi.getAll('contacts');
  const email = all.results.find((p) => p.name === 'email');
  expect(email).toMatchObject({ type: 'string', fieldType: 'text', hubspotDefined: true, calculated: false });
  const page = await client.crm.contacts.basicApi.getPage(20, undefined, await names('contacts'));
  const carried = new Set(page.results.flatMap((r) => Object.keys(r.properties)));
  expect([...carried].sort()).toEqual([...(await names('contacts'))].sort());
  expect(await names('deals')).toEqual(expect.arrayContaining(['dealname', 'amount', 'hubspot_owner_id']));
  expect((await rejection(client.crm.properties.coreApi.getAll('widgets'))).code).toBe(400);
});

test('a custom property defined through the control API is listed, and its values come back', async () => {
  sandbox.control.providerOp('hubspot', portal.id, 'defineProperty', {
    objectType: 'contacts',
    name: 'favorite_color',
    label: 'Favorite color',
    type: 'string',
    fieldType: 'text',
  });
  const custom = (await client.crm.properties.coreApi.getAll('contacts')).results.find(
    (p) => p.name === 'favorite_color',
  );
  expect(custom).toMatchObject({ hubspotDefined: false, groupName: 'contactinformation' });
  sandbox.control.updateItem('hubspot', portal.id, 'contacts', '1000003', { favorite_color: 'teal' });
  const page = await client.crm.contacts.basicApi.getPage(5, undefined, ['favorite_color']);
  expect(page.results.map((r) => r.properties.favorite_color ?? null)).toEqual([
    null,
    null,
    'teal',
    null,
    null,
  ]);

  const again = () =>
    sandbox.control.providerOp('hubspot', portal.id, 'defineProperty', {
      objectType: 'contacts',
      name: 'favorite_color',
      label: 'Again',
      type: 'string',
      fieldType: 'text',
    });
  expect(again).toThrow(/already exists/);
  const misfit = () =>
    sandbox.control.providerOp('hubspot', portal.id, 'defineProperty', {
      objectType: 'deals',
      name: 'score',
      label: 'Score',
      type: 'number',
      fieldType: 'text',
    });
  expect(misfit).toThrow(/fieldType does not fit type/);
});

test('owners list the ids records carry in hubspot_owner_id; paging and email filter', async () => {
  const owners = await client.crm.owners.ownersApi.getPage(undefined, undefined, 4);
  expect(owners.results).toHaveLength(4);
  const rest = await client.crm.owners.ownersApi.getPage(undefined, owners.paging?.next?.after, 4);
  const ids = new Set([...owners.results, ...rest.results].map((o) => o.id));
  expect(ids.size).toBe(6);
  const page = await client.crm.contacts.basicApi.getPage(20, undefined, ['hubspot_owner_id']);
  const assigned = page.results
    .map((r) => r.properties.hubspot_owner_id)
    .filter((v) => v !== null && v !== undefined);
  expect(assigned.length).toBeGreaterThan(10);
  for (const id of assigned) expect(ids.has(id as string)).toBe(true);
  const byEmail = await client.crm.owners.ownersApi.getPage(owners.results[1]!.email);
  expect(byEmail.results.map((o) => o.id)).toEqual([owners.results[1]!.id]);
});
