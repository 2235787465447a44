import {
  connectSandboxAccount,
  createConnectionsHarness,
  type ConnectionsHarness,
} from '@crm-sync/connections/testing';
import type { WriteRequest } from '@crm-sync/core';
import { testAccessTokens } from '@crm-sync/sync-engine/testing';
import { applyAndRead, applyDepsOf, callsTo, sandboxItems, submitWrite } from '../test';
import { applyWrites } from './apply';
import type { ApplyDeps } from './deps';
import { getWrite } from './rows';

let h: ConnectionsHarness;
let deps: ApplyDeps;
let writer: { connectionId: string; accountId: string };
let reader: { connectionId: string };

beforeAll(async () => {
  h = await createConnectionsHarness();
  const w = await connectSandboxAccount(h, {
    provider: 'google',
    email: 'writes@example.com',
    sizes: { contacts: 3 },
    resources: ['contacts'],
    writes: ['contacts'],
  });
  writer = { connectionId: w.connectionId, accountId: w.account.id };
  reader = await connectSandboxAccount(h, {
    provider: 'google',
    email: 'reads@example.com',
    resources: ['contacts'],
  });
  deps = applyDepsOf(h, testAccessTokens(h));
});
afterAll(() => h.close());

const submit = (write: WriteRequest, connectionId = writer.connectionId) =>
  submitWrite(h, connectionId, write);
const run = (writeId: string) => applyAndRead(deps, writeId);
const contacts = () => sandboxItems(h, 'google', 'contacts', writer.accountId);
const createAda: WriteRequest = {
  schemaVersion: 1,
  resource: 'contacts',
  op: 'create',
  fields: { givenName: 'Ada', familyName: 'Quill', emails: ['ada@example.com'], company: 'Initech' },
};
const notified = async (writeId: string) =>
  (
    (await h.db.dataSource.query(`SELECT payload FROM outbox WHERE job_name = 'write.completed'`)) as Array<{
      payload: { writeId: string };
    }>
  ).filter((r) => r.payload.writeId === writeId);

it('creates, updates and deletes a People contact, each outcome recorded and notified once', async () => {
  const created = await run(await submit(createAda));
  expect(created).toMatchObject({ status: 'applied', externalId: expect.stringMatching(/^people\//) });
  const id = (created?.externalId ?? '').slice('people/'.length);
  expect(contacts().find((c) => c.id === id)?.data).toMatchObject({
    givenName: 'Ada',
    emails: ['ada@example.com'],
  });
  expect(await notified(created?.id ?? '')).toEqual([
    { payload: expect.objectContaining({ status: 'applied', version: created?.version }) },
  ]);
  const [row] = await h.db.dataSource.query(`SELECT request FROM writes WHERE id = $1`, [created?.id]);
  expect(row.request).toBeNull();

  const updated = await run(
    await submit({
      schemaVersion: 1,
      resource: 'contacts',
      op: 'update',
      externalId: created?.externalId ?? '',
      baseVersion: created?.version ?? '',
      fields: { jobTitle: 'CTO' },
    }),
  );
  expect(updated).toMatchObject({ status: 'applied', externalId: created?.externalId });
  expect(updated?.version).not.toBe(created?.version);
  // Only the half it named changed: the company stayed.
  expect(contacts().find((c) => c.id === id)?.data).toMatchObject({
    organization: 'Initech',
    jobTitle: 'CTO',
  });

  const deleted = await run(
    await submit({
      schemaVersion: 1,
      resource: 'contacts',
      op: 'delete',
      externalId: created?.externalId ?? '',
      baseVersion: updated?.version ?? '',
    }),
  );
  expect(deleted).toMatchObject({ status: 'applied', version: null });
  expect(contacts().find((c) => c.id === id)).toBeUndefined();
});

it('ends a write against a newer provider version as a conflict, leaving the contact as it was', async () => {
  const created = await run(await submit(createAda));
  const id = (created?.externalId ?? '').slice('people/'.length);
  h.sandbox.control.updateItem('google', writer.accountId, 'contacts', id, { jobTitle: 'Changed elsewhere' });
  const stale = { externalId: created?.externalId ?? '', baseVersion: created?.version ?? '' };
  const update = await run(
    await submit({
      schemaVersion: 1,
      resource: 'contacts',
      op: 'update',
      ...stale,
      fields: { familyName: 'X', givenName: 'Y' },
    }),
  );
  expect(update).toMatchObject({ status: 'conflict', externalId: created?.externalId });
  expect(update?.version).not.toBe(created?.version);
  const remove = await run(await submit({ schemaVersion: 1, resource: 'contacts', op: 'delete', ...stale }));
  expect(remove).toMatchObject({ status: 'conflict', version: update?.version });
  expect(contacts().find((c) => c.id === id)?.data).toMatchObject({
    givenName: 'Ada',
    jobTitle: 'Changed elsewhere',
  });
});

it('applies writes to one item in order, each based on the version the previous one of ours produced', async () => {
  const created = await run(await submit(createAda));
  const base = { schemaVersion: 1 as const, resource: 'contacts' as const, op: 'update' as const };
  const at = { externalId: created?.externalId ?? '', baseVersion: created?.version ?? '' };
  const first = await submit({ ...base, ...at, fields: { jobTitle: 'First' } });
  const second = await submit({ ...base, ...at, fields: { jobTitle: 'Second' } });
  // The later write's job runs first: the earlier one is applied before it.
  await applyWrites(deps, second, { finalAttempt: false });
  expect((await getWrite(h.db.dataSource, '*', first))?.status).toBe('applied');
  expect((await getWrite(h.db.dataSource, '*', second))?.status).toBe('applied');
  const id = at.externalId.slice('people/'.length);
  expect(contacts().find((c) => c.id === id)?.data).toMatchObject({ jobTitle: 'Second' });
});

it('refuses a write whose scope was not granted, without calling the provider', async () => {
  const before = callsTo(h, 'people.createContact');
  const refused = await run(await submit(createAda, reader.connectionId));
  expect(refused).toMatchObject({
    status: 'refused',
    reason: expect.stringMatching(/^missing_scope: needs https:\/\/www.googleapis.com\/auth\/contacts/),
  });
  expect(callsTo(h, 'people.createContact')).toBe(before);
});

it('does not create twice when the attempt before died between the provider call and the commit', async () => {
  const writeId = await submit({ ...createAda, fields: { givenName: 'Once' } });
  // What the first attempt did before dying: counted itself, then created the contact tagged with the write id.
  await h.db.dataSource.query(`UPDATE writes SET attempts = 1 WHERE id = $1`, [writeId]);
  const google = h.deps.adapters.get('google');
  if (!google?.writes?.contacts) throw new Error('no Google contacts writer');
  await google.writes.contacts.apply(
    { schemaVersion: 1, resource: 'contacts', op: 'create', fields: { givenName: 'Once' } },
    { accessToken: await deps.accessToken(writer.connectionId, google), clientKey: writeId, retried: false },
  );
  const creates = callsTo(h, 'people.createContact');
  const done = await run(writeId);
  expect(done).toMatchObject({ status: 'applied' });
  expect(callsTo(h, 'people.createContact')).toBe(creates);
  expect(contacts().filter((c) => c.data.givenName === 'Once')).toHaveLength(1);
  expect(contacts().find((c) => `people/${c.id}` === done?.externalId)?.data.givenName).toBe('Once');
});
