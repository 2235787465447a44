import { type Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/objects/models/Filter';
import {
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
} from '@hubspot/api-client/lib/codegen/crm/properties/models/PropertyCreate';
import { type RunningSandbox } from '../../core/types';
import { createPortal, install, rejection, sdk, startHubspotSandbox } from '../../../test/hubspot';

let sandbox: RunningSandbox;
let client: Client;
let accountId: string;

beforeAll(async () => {
  sandbox = await startHubspotSandbox({}, { limits: { searchPerSecond: 1000, tenSecondly: 1000 } });
  const portal = createPortal(sandbox, 'writes@acme.example', { contacts: 5, companies: 3, deals: 3 });
  accountId = portal.id;
  client = sdk(sandbox, (await install(sandbox, portal.email)).accessToken);
});
afterAll(() => sandbox.close());

const basic = () => client.crm.objects.basicApi;
/** How many objects of the type the sandbox holds for the portal. */
function stored(type: string): number {
  const { accounts, datasets } = sandbox.context;
  const account = accounts.get('hubspot', accountId);
  const generator = datasets.generator('hubspot', type);
  if (!account || !generator) throw new Error(`no sandbox hubspot ${type}`);
  return datasets.open(account, generator).count();
}

test('creates, updates and archives with the official client; each change moves updatedAt and shows in search', async () => {
  const before = Date.now();
  const made = await basic().create('companies', {
    properties: { name: 'Initech', domain: 'initech.example' },
    associations: [],
  });
  expect(made).toMatchObject({ properties: { name: 'Initech', domain: 'initech.example' }, archived: false });
  expect(made.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
  const read = await basic().getById('companies', made.id, ['name', 'city']);
  // Properties the create did not set hold nothing.
  expect(read.properties).toMatchObject({ name: 'Initech', city: null });

  const changed = await basic().update('companies', made.id, { properties: { city: 'Austin' } });
  expect(changed.properties.city).toBe('Austin');
  expect(changed.updatedAt.getTime()).toBeGreaterThanOrEqual(made.updatedAt.getTime());
  const found = await client.crm.objects.searchApi.doSearch('companies', {
    filterGroups: [{ filters: [{ propertyName: 'city', operator: FilterOperatorEnum.Eq, value: 'Austin' }] }],
    properties: ['name'],
    limit: 10,
  });
  expect(found.results.map((r) => r.id)).toEqual([made.id]);

  await basic().archive('companies', made.id);
  expect(await rejection(basic().getById('companies', made.id))).toMatchObject({ code: 404 });
  const archived = await basic().getById('companies', made.id, undefined, undefined, undefined, true);
  expect(archived.archived).toBe(true);
  // Archived already, or never held: 404 OBJECT_NOT_FOUND.
  expect(await rejection(basic().archive('companies', made.id))).toMatchObject({
    code: 404,
    body: { status: 'error', category: 'OBJECT_NOT_FOUND' },
  });
  expect(
    await rejection(basic().update('companies', '2999999', { properties: { city: 'x' } })),
  ).toMatchObject({
    code: 404,
  });
});

test.each([
  [
    'a property the portal does not define',
    'contacts',
    { email: 'a@b.example', favourite_colour: 'teal' },
    'PROPERTY_DOESNT_EXIST',
  ],
  [
    'a property HubSpot computes',
    'contacts',
    { email: 'c@b.example', hs_object_id: '12' },
    'READ_ONLY_VALUE',
  ],
  ['a deal without its stage', 'deals', { dealname: 'Renewal' }, 'REQUIRED_FIELD'],
  ['a company without name or domain', 'companies', { city: 'Oslo' }, 'REQUIRED_FIELD'],
])(
  'refuses %s with a 400 VALIDATION_ERROR naming it, creating nothing',
  async (_label, type, properties, error) => {
    const before = stored(type);
    const refused = await rejection(basic().create(type, { properties, associations: [] }));
    expect(refused).toMatchObject({ code: 400, body: { status: 'error', category: 'VALIDATION_ERROR' } });
    expect(String(refused.body.message)).toContain(`"error":"${error}"`);
    expect(stored(type)).toBe(before);
  },
);

test('a second contact with an existing email is a 409 CONFLICT naming the existing id', async () => {
  const first = await basic().create('contacts', {
    properties: { email: 'Dup@Acme.example' },
    associations: [],
  });
  const second = await rejection(
    basic().create('contacts', { properties: { email: 'dup@acme.example' }, associations: [] }),
  );
  expect(second).toMatchObject({
    code: 409,
    body: {
      status: 'error',
      category: 'CONFLICT',
      message: `Contact already exists. Existing ID: ${first.id}`,
    },
  });
  const byEmail = await basic().getById(
    'contacts',
    'dup@acme.example',
    ['email'],
    undefined,
    undefined,
    false,
    'email',
  );
  expect(byEmail.id).toBe(first.id);
});

test('a unique-value property: defined once (409 after), read by idProperty, a second holder refused', async () => {
  const definition = {
    name: 'external_ref',
    label: 'External ref',
    type: PropertyCreateTypeEnum.String,
    fieldType: PropertyCreateFieldTypeEnum.Text,
    groupName: 'dealinformation',
    hasUniqueValue: true,
  };
  expect(await client.crm.properties.coreApi.create('deals', definition)).toMatchObject({
    name: 'external_ref',
    hasUniqueValue: true,
  });
  expect(await rejection(client.crm.properties.coreApi.create('deals', definition))).toMatchObject({
    code: 409,
  });
  // Not a unique-value property: no lookup by it.
  expect(
    await rejection(basic().getById('deals', 'Renewal', undefined, undefined, undefined, false, 'dealname')),
  ).toMatchObject({ code: 400 });

  const deal = { dealname: 'Renewal', dealstage: 'appointmentscheduled', external_ref: 'ref-1' };
  const made = await basic().create('deals', { properties: deal, associations: [] });
  const found = await basic().getById(
    'deals',
    'ref-1',
    ['dealname'],
    undefined,
    undefined,
    false,
    'external_ref',
  );
  expect(found.id).toBe(made.id);
  expect(await rejection(basic().create('deals', { properties: deal, associations: [] }))).toMatchObject({
    code: 409,
    body: { category: 'CONFLICT' },
  });
});

test('writes go through the rate limit and fault plans of their routes', async () => {
  sandbox.control.addFault({
    provider: 'hubspot',
    route: 'crm.objects.create',
    accountId,
    action: { kind: 'status', status: 429 },
    next: 1,
  });
  const limited = await rejection(
    basic().create('contacts', { properties: { firstname: 'Throttled' }, associations: [] }),
  );
  expect(limited).toMatchObject({ code: 429, body: { policyName: 'TEN_SECONDLY_ROLLING' } });
  expect(
    await basic().create('contacts', { properties: { firstname: 'Throttled' }, associations: [] }),
  ).toMatchObject({
    properties: { firstname: 'Throttled' },
  });
});
