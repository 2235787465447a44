import { type GaxiosError } from 'gaxios';
import { type people_v1 } from 'googleapis';
import { type RunningSandbox } from '../../core/types';
import { startSandbox } from '../../start';
import { connectGoogle, sandboxGoogleApis } from '../../../test';

let sandbox: RunningSandbox;
let people: people_v1.People;
let accountId: string;
const personFields = 'names,emailAddresses,phoneNumbers,metadata';

beforeAll(async () => {
  sandbox = await startSandbox();
  accountId = sandbox.control.createAccount({
    provider: 'google',
    email: 'pp@example.com',
    sizes: { contacts: 250 },
  }).id;
  const { client } = await connectGoogle(sandbox, 'pp@example.com');
  people = sandboxGoogleApis(sandbox, client).people;
});
afterAll(() => sandbox.close());

async function drain(params: Omit<people_v1.Params$Resource$People$Connections$List, 'resourceName'>) {
  const connections: people_v1.Schema$Person[] = [];
  let pageToken: string | undefined;
  for (;;) {
    const { data } = await people.people.connections.list({
      resourceName: 'people/me',
      personFields,
      pageSize: 100,
      requestSyncToken: true,
      ...params,
      ...(pageToken ? { pageToken } : {}),
    });
    connections.push(...(data.connections ?? []));
    if (!data.nextPageToken) return { connections, syncToken: data.nextSyncToken as string };
    pageToken = data.nextPageToken;
  }
}

test('full sync pages to the end; sync token returns changes with metadata.deleted', async () => {
  const full = await drain({});
  expect(full.connections).toHaveLength(250);
  expect(full.connections[0]?.names?.[0]?.displayName).toBeTruthy();
  const [edited, removed] = [
    full.connections[1]?.resourceName as string,
    full.connections[2]?.resourceName as string,
  ];
  const id = (resourceName: string) => resourceName.replace('people/', '');
  sandbox.control.updateItem('google', accountId, 'contacts', id(edited), { givenName: 'Renamed' });
  sandbox.control.deleteItem('google', accountId, 'contacts', id(removed));
  const added = sandbox.control.addItem('google', accountId, 'contacts', { email: 'new@example.com' });

  const delta = await drain({ syncToken: full.syncToken });
  expect(delta.connections.map((p) => [p.resourceName, p.metadata?.deleted ?? false])).toEqual([
    [edited, false],
    [removed, true],
    [`people/${added.id}`, false],
  ]);
  expect(delta.connections[0]?.names?.[0]?.givenName).toBe('Renamed');
  expect((await drain({ syncToken: delta.syncToken })).connections).toEqual([]);
});

test('personFields is required and an expired sync token gives 400 EXPIRED_SYNC_TOKEN', async () => {
  const missing = await people.people.connections
    .list({ resourceName: 'people/me' })
    .catch((e: GaxiosError) => e);
  expect((missing as GaxiosError).status).toBe(400);
  const { syncToken } = await drain({});
  sandbox.control.expireCursors('google', accountId);
  const expired = (await drain({ syncToken }).catch((e: GaxiosError) => e)) as GaxiosError;
  expect(expired.status).toBe(400);
  expect(expired.response?.data).toMatchObject({
    error: { status: 'FAILED_PRECONDITION', details: [{ reason: 'EXPIRED_SYNC_TOKEN' }] },
  });
});

test('linking a profile renames a contact (previousResourceNames, two sources); unlinking brings the old name back', async () => {
  const full = await drain({});
  const contact = full.connections[10] as people_v1.Schema$Person;
  const id = (contact.resourceName as string).slice('people/'.length);
  sandbox.control.updateItem('google', accountId, 'contacts', id, { linkProfile: true });
  const linked = (await drain({ syncToken: full.syncToken })).connections;
  expect(linked).toHaveLength(1);
  const merged = linked[0] as people_v1.Schema$Person;
  expect(merged.resourceName).toMatch(/^people\/\d{21}$/);
  expect(merged.metadata?.previousResourceNames).toEqual([contact.resourceName]);
  expect(merged.metadata?.sources?.map((s) => s.type)).toEqual(['CONTACT', 'PROFILE']);
  expect(merged.emailAddresses?.[0]?.metadata?.verified).toBe(true);
  // A full listing names no former resource names (they come only with a sync token).
  const relisted = (await drain({})).connections.find((p) => p.resourceName === merged.resourceName);
  expect(relisted?.metadata?.previousResourceNames).toBeUndefined();

  const afterLink = await drain({ syncToken: full.syncToken });
  sandbox.control.updateItem('google', accountId, 'contacts', id, { linkProfile: false });
  const unlinked = (await drain({ syncToken: afterLink.syncToken })).connections;
  expect(unlinked.map((p) => [p.resourceName, p.metadata?.previousResourceNames])).toEqual([
    [contact.resourceName, [merged.resourceName]],
  ]);
  sandbox.control.deleteItem('google', accountId, 'contacts', id);
  const deleted = (await drain({ syncToken: afterLink.syncToken })).connections;
  expect(deleted.map((p) => [p.resourceName, p.metadata?.deleted])).toEqual([[contact.resourceName, true]]);
});

test('a contact deleted while linked is reported deleted under its linked name', async () => {
  const full = await drain({});
  const id = (full.connections[20]?.resourceName as string).slice('people/'.length);
  sandbox.control.updateItem('google', accountId, 'contacts', id, { linkProfile: true });
  const { connections, syncToken } = await drain({ syncToken: full.syncToken });
  sandbox.control.deleteItem('google', accountId, 'contacts', id);
  const deleted = (await drain({ syncToken })).connections;
  expect(deleted.map((p) => [p.resourceName, p.metadata?.deleted])).toEqual([
    [connections[0]?.resourceName, true],
  ]);
});
