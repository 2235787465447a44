import { type Client, type GraphError } from '@microsoft/microsoft-graph-client';
import { type Account } from '../../core/types';
import {
  connectedGraph,
  type MicrosoftSandbox,
  SCOPES,
  startMicrosoftSandbox,
} from '../../../test/microsoft';

let ms: MicrosoftSandbox;
let account: Account;
let client: Client;
let readOnly: Client;

const TAG = 'String {6f0c3a5e-8d1b-4c27-9e4a-2b7d5f913c08} Name crm-sync-write';
type Item = { id: string; '@odata.etag': string; subject?: string; givenName?: string };

beforeAll(async () => {
  ms = await startMicrosoftSandbox();
  const writes = `${SCOPES} Contacts.ReadWrite Calendars.ReadWrite`;
  ({ account, client } = await connectedGraph(ms, 'writer@contoso.com', { events: 3, contacts: 3 }, writes));
  ({ client: readOnly } = await connectedGraph(ms, 'reader@contoso.com', { contacts: 1 }));
});
afterAll(() => ms.close());

const failure = (call: Promise<unknown>) =>
  call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: GraphError) => ({ status: e.statusCode, code: e.code, message: e.message }),
  );
const immutable = { Prefer: 'IdType="ImmutableId"' };
const meeting = {
  subject: 'Review',
  start: { dateTime: '2026-12-14T14:00:00', timeZone: 'UTC' },
  end: { dateTime: '2026-12-14T15:00:00', timeZone: 'UTC' },
  singleValueExtendedProperties: [{ id: TAG, value: 'w-1' }],
};
/** Live items of a resource of the writing account. */
function countOf(resource: string): number {
  const { accounts, datasets } = ms.sandbox.context;
  const owner = accounts.get('microsoft', account.id);
  const generator = datasets.generator('microsoft', resource);
  if (!owner || !generator) throw new Error(`no ${resource}`);
  return datasets.open(owner, generator).count();
}
const events = () => client.api('/me/events').headers(immutable);

test('create, If-Match update and delete bump the etag, and the calendarView delta sees each change', async () => {
  const round = await client
    .api('/me/calendarView/delta')
    .query({ startDateTime: '2026-11-01T00:00:00Z', endDateTime: '2027-01-31T00:00:00Z' })
    .get();
  let link = round['@odata.deltaLink'] as string;
  const created = (await events().post(meeting)) as Item;
  expect(created).toMatchObject({ subject: 'Review', id: expect.stringMatching(/^AAkALg/) });
  expect(created).not.toHaveProperty('singleValueExtendedProperties');
  const one = (path: string) => client.api(path).headers(immutable);
  const updated = (await one(`/me/events/${created.id}`)
    .header('If-Match', created['@odata.etag'])
    .patch({ subject: 'Review (moved)' })) as Item;
  expect(updated['@odata.etag']).not.toBe(created['@odata.etag']);
  const changes = await client.api(link).get();
  expect(changes.value).toEqual([expect.objectContaining({ subject: 'Review (moved)' })]);
  link = changes['@odata.deltaLink'];

  expect(
    await failure(one(`/me/events/${created.id}`).header('If-Match', created['@odata.etag']).delete()),
  ).toMatchObject({ status: 412, code: 'ErrorIrresolvableConflict' });
  await one(`/me/events/${created.id}`).header('If-Match', updated['@odata.etag']).delete();
  expect(await failure(one(`/me/events/${created.id}`).get())).toMatchObject({
    status: 404,
    code: 'ErrorItemNotFound',
  });
  const removed = await client.api(link).get();
  expect(removed.value).toEqual([expect.objectContaining({ '@removed': { reason: 'deleted' } })]);
});

test('lists the items holding an extended property value', async () => {
  const tagged = (await client
    .api('/me/contacts')
    .headers(immutable)
    .post({ givenName: 'Ada', singleValueExtendedProperties: [{ id: TAG, value: 'w-find' }] })) as Item;
  const found = await client
    .api('/me/contacts')
    .headers(immutable)
    .filter(`singleValueExtendedProperties/Any(ep: ep/id eq '${TAG}' and ep/value eq 'W-FIND')`)
    .get();
  expect(found.value.map((c: Item) => c.id)).toEqual([tagged.id]);
  expect(await failure(client.api('/me/contacts').filter("givenName eq 'Ada'").get())).toMatchObject({
    status: 400,
  });
});

test.each([
  [
    'an event ending before it starts',
    '/me/events',
    { ...meeting, end: meeting.start, start: meeting.end },
    'ErrorPropertyValidationFailure',
  ],
  [
    'an event without an end',
    '/me/events',
    { subject: 'x', start: meeting.start },
    'ErrorPropertyValidationFailure',
  ],
  ['a contact without a given name', '/me/contacts', { surname: 'Only' }, 'ErrorInvalidProperty'],
  [
    'a property the type lacks',
    '/me/contacts',
    { givenName: 'A', favouriteColour: 'red' },
    'RequestBodyRead',
  ],
  [
    'a malformed extended property id',
    '/me/contacts',
    { givenName: 'A', singleValueExtendedProperties: [{ id: 'crm', value: 'x' }] },
    'ErrorInvalidRequest',
  ],
])('refuses %s with 400, creating nothing', async (_case, path, body, code) => {
  const resource = path === '/me/events' ? 'events' : 'contacts';
  const before = countOf(resource);
  expect(await failure(client.api(path).post(body))).toMatchObject({ status: 400, code });
  expect(countOf(resource)).toBe(before);
});

test('refuses writes without a write permission', async () => {
  expect(await failure(readOnly.api('/me/contacts').post({ givenName: 'B' }))).toMatchObject({
    status: 403,
    code: 'ErrorAccessDenied',
  });
});
