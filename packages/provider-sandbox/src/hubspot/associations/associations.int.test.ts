import { type Client } from '@hubspot/api-client';
import { request } from 'undici';
import { type Account, DEFAULT_CONTROL_SECRET, type RunningSandbox } from '../../core/types';
import { createPortal, install, rejection, sdk, startHubspotSandbox } from '../../../test/hubspot';

let sandbox: RunningSandbox;
let portal: Account;
let client: Client;

const contact = (n: number) => String(1_000_001 + n);
const company = (n: number) => String(2_000_001 + n);
const deal = (n: number) => String(3_000_001 + n);

beforeAll(async () => {
  sandbox = await startHubspotSandbox({}, { limits: { tenSecondly: 10_000 } });
  portal = createPortal(sandbox, 'assoc@acme.example', { contacts: 40, companies: 10, deals: 30 });
  client = sdk(sandbox, (await install(sandbox, portal.email)).accessToken);
});
afterAll(() => sandbox.close());

const v4 = () => client.crm.associations.v4;
const modifiedOf = async (id: string) => {
  const filter = { propertyName: 'hs_object_id', operator: 'EQ', value: id };
  const found = await client.crm.contacts.searchApi.doSearch({
    filterGroups: [{ filters: [filter as never] }],
    properties: ['lastmodifieddate'],
  });
  return found.results[0]?.properties.lastmodifieddate;
};
const typesOf = (results: { toObjectId: string; associationTypes: { typeId: number; label?: string }[] }[]) =>
  results.map((r) => [r.toObjectId, r.associationTypes.map((t) => [t.typeId, t.label ?? null])]);

async function controlOp(op: string, body: unknown) {
  const response = await request(`${sandbox.urls.control}/accounts/hubspot/${portal.id}/ops/${op}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEFAULT_CONTROL_SECRET}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
}

test('each contact has its primary company; read from the company, the types are the reverse ones', async () => {
  const fromContact = await v4().basicApi.getPage('contacts', contact(12), 'companies');
  expect(typesOf(fromContact.results)).toEqual([
    [
      company(2),
      [
        [1, 'Primary'],
        [279, null],
      ],
    ],
  ]);
  const fromCompany = await v4().basicApi.getPage('company', company(2), 'contact');
  expect(fromCompany.results.map((r) => r.toObjectId)).toEqual([
    contact(2),
    contact(12),
    contact(22),
    contact(32),
  ]);
  expect(typesOf(fromCompany.results.slice(0, 1))).toEqual([
    [
      contact(2),
      [
        [2, 'Primary'],
        [280, null],
      ],
    ],
  ]);
});

test('GET pages with a sealed `after`; an edited one is a 400', async () => {
  const first = await v4().basicApi.getPage('companies', company(2), 'contacts', undefined, 3);
  expect(first.results).toHaveLength(3);
  const after = first.paging?.next?.after;
  expect(after).toBeDefined();
  const rest = await v4().basicApi.getPage('companies', company(2), 'contacts', after, 3);
  expect(rest.results.map((r) => r.toObjectId)).toEqual([contact(32)]);
  expect(rest.paging).toBeUndefined();
  const forged = await rejection(v4().basicApi.getPage('companies', company(2), 'contacts', `${after}x`, 3));
  expect(forged.code).toBe(400);
  expect(forged.body.category).toBe('VALIDATION_ERROR');
});

test('batch read: deals have two contacts; an object without any is a 207 error entry', async () => {
  const response = await v4().batchApi.getPage('deals', 'contacts', {
    inputs: [{ id: deal(3) }, { id: deal(39_999) }],
  });
  expect(response.results.map((r) => [r._from.id, r.to.map((t) => t.toObjectId)])).toEqual([
    [deal(3), [contact(3), contact(4)]],
  ]);
  expect(response.results[0]?.to[0]?.associationTypes).toMatchObject([
    { category: 'HUBSPOT_DEFINED', typeId: 3, label: null },
  ]);
  const errors = (response as unknown as { errors: { subCategory: string; message: string }[] }).errors;
  expect(errors.map((e) => [e.subCategory, e.message])).toEqual([
    ['crm.associations.NO_ASSOCIATIONS_FOUND', `No contact is associated with deal ${deal(39_999)}.`],
  ]);
});

test('batch read refuses more than 1,000 inputs and unknown object types', async () => {
  const inputs = Array.from({ length: 1001 }, (_, i) => ({ id: contact(i) }));
  const tooMany = await rejection(v4().batchApi.getPage('contacts', 'companies', { inputs }));
  expect(tooMany.code).toBe(400);
  const unknown = await rejection(
    v4().batchApi.getPage('contacts', 'widgets', { inputs: [{ id: contact(1) }] }),
  );
  expect([unknown.code, unknown.body.message]).toEqual([400, 'Unable to infer object type from: widgets']);
});

test('associate and dissociate through the control API; neither moves the last-modified dates', async () => {
  const before = await modifiedOf(contact(5));
  expect(before).toBeDefined();
  const added = await controlOp('associate', {
    from: { type: 'contacts', id: contact(5) },
    to: { type: 'companies', id: company(7) },
    types: [{ category: 'USER_DEFINED', typeId: 901, label: 'Advisor' }],
  });
  expect(added.status).toBe(200);
  expect(
    (
      await controlOp('dissociate', {
        from: { type: 'companies', id: company(5) },
        to: { type: 'contacts', id: contact(5) },
      })
    ).status,
  ).toBe(200);
  const now = await v4().basicApi.getPage('contacts', contact(5), 'companies');
  expect(typesOf(now.results)).toEqual([[company(7), [[901, 'Advisor']]]]);
  expect(await modifiedOf(contact(5))).toBe(before);

  expect(
    (
      await controlOp('dissociate', {
        from: { type: 'contacts', id: contact(5) },
        to: { type: 'companies', id: company(5) },
      })
    ).status,
  ).toBe(404);
  const bad = await controlOp('associate', {
    from: { type: 'contacts', id: contact(1) },
    to: { type: 'contacts', id: contact(2) },
  });
  expect(bad.status).toBe(400);
  const missing = await controlOp('associate', {
    from: { type: 'deals', id: deal(1) },
    to: { type: 'companies', id: company(99) },
  });
  expect(missing.status).toBe(404);
});

test("an archived object drops out of its partners' associations", async () => {
  await sandbox.control.updateItem('hubspot', portal.id, 'contacts', contact(20), { archived: true });
  const deals = await v4().batchApi.getPage('deals', 'contacts', {
    inputs: [{ id: deal(19) }, { id: deal(20) }],
  });
  expect(deals.results.map((r) => r.to.map((t) => t.toObjectId))).toEqual([[contact(19)], [contact(21)]]);
});
