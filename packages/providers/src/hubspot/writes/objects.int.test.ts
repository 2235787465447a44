import {
  DEFAULT_CLIENT,
  createHubspotModule,
  startSandbox,
  type RunningSandbox,
} from '@crm-sync/provider-sandbox';
import { type ObjectWrite, type ProviderAdapter } from '@crm-sync/core';
import { endpointsOf, REDIRECT_URI } from '../../../test/sandbox';
import { connect, createPortal } from '../../../test/hubspot';
import { createHubSpotAdapter } from '../index';
import { WRITE_KEY_PROPERTY } from './writeKey';

let sandbox: RunningSandbox;
let hubspot: ProviderAdapter;

beforeAll(async () => {
  sandbox = await startSandbox({ modules: [createHubspotModule()] });
  hubspot = createHubSpotAdapter({
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: DEFAULT_CLIENT.clientSecret,
    redirectUri: REDIRECT_URI,
    endpoints: endpointsOf(sandbox).hubspot,
  });
});
afterAll(() => sandbox.close());

let portals = 0;
async function portal() {
  const account = createPortal(sandbox, `objwrites${++portals}@acme.example`, { deals: 2 });
  return { account, ...(await connect(sandbox, hubspot, account.email)) };
}

const create: ObjectWrite = {
  schemaVersion: 1,
  resource: 'objects',
  op: 'create',
  objectType: 'deals',
  properties: { dealname: 'Renewal', dealstage: 'appointmentscheduled' },
};

/** The deals the sandbox holds under the write id. */
function tagged(accountId: string, writeId: string): string[] {
  const { accounts, datasets } = sandbox.context;
  const account = accounts.get('hubspot', accountId);
  const generator = datasets.generator('hubspot', 'deals');
  if (!account || !generator) throw new Error('no sandbox deals');
  const items = datasets.open(account, generator).page({ limit: 1000, order: 'asc' }).items;
  return items
    .filter(
      (i) =>
        (i.data as { properties: Record<string, string | null> }).properties[WRITE_KEY_PROPERTY] === writeId,
    )
    .map((i) => i.id);
}

const writer = () => {
  const objects = hubspot.writes?.objects;
  if (!objects) throw new Error('no HubSpot objects writer');
  return objects;
};

test('the first create in a portal defines the tag property; a create racing an earlier one takes its object', async () => {
  const { account, accessToken } = await portal();
  const writeId = '4b8c7a52-0d6e-4c55-9d0e-7f3a1b2c9d10';
  const first = await writer().apply(create, { accessToken, clientKey: writeId, retried: false });
  expect(first).toMatchObject({ kind: 'applied', record: { objectType: 'deals' } });
  // Not counted as a retry (its attempt record was lost): HubSpot's 409 on the unique value leads to the object.
  const again = await writer().apply(create, { accessToken, clientKey: writeId, retried: false });
  expect(again).toMatchObject({
    kind: 'applied',
    externalId: first.kind === 'applied' ? first.externalId : '',
  });
  expect(tagged(account.id, writeId)).toHaveLength(1);
  const record = first.kind === 'applied' ? first.record : null;
  expect(record && 'properties' in record ? record.properties[WRITE_KEY_PROPERTY] : undefined).toBe(writeId);
});

test('a retry in a portal where the tag property was never defined creates the object once', async () => {
  const { account, accessToken } = await portal();
  const writeId = '0f1e2d3c-4b5a-4697-8877-665544332211';
  const made = await writer().apply(create, { accessToken, clientKey: writeId, retried: true });
  expect(made).toMatchObject({ kind: 'applied' });
  expect(tagged(account.id, writeId)).toHaveLength(1);
});
