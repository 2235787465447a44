import {
  connectSandboxAccount,
  createConnectionsHarness,
  openRows,
  type ConnectionsHarness,
} from '@crm-sync/connections/testing';
import type { WriteRequest } from '@crm-sync/core';
import { runSlice } from '@crm-sync/sync-engine';
import { syncStates } from '@crm-sync/sync-states';
import { engineDeps, syncUntilCaughtUp } from '@crm-sync/sync-engine/testing';
import { applyAndRead, applyDepsOf, PROVIDER_CASES, submitWrite } from '../test';

let h: ConnectionsHarness;
let connectionId: string;
let accountId: string;
let engine: ReturnType<typeof engineDeps>;

beforeAll(async () => {
  h = await createConnectionsHarness();
  const c = await connectSandboxAccount(h, {
    provider: 'google',
    email: 'agree@example.com',
    sizes: { contacts: 4 },
    resources: ['contacts'],
    writes: ['contacts'],
  });
  ({ connectionId } = c);
  accountId = c.account.id;
  engine = engineDeps(h);
  await syncUntilCaughtUp(engine, connectionId, 'contacts');
});
afterAll(() => h.close());

const write = async (request: WriteRequest) =>
  applyAndRead(applyDepsOf(h, engine.tokens), await submitWrite(h, connectionId, request));
const rows = () =>
  openRows(h.db.dataSource, h.deps.content, 'contacts', 'connection_id = $1 AND deleted_at IS NULL', [
    connectionId,
  ]);
const incremental = async () => {
  const outcome = await runSlice(engine, { connectionId, resource: 'contacts', budgetMs: 30_000 });
  if (outcome.kind !== 'caught_up') throw new Error(`slice ended ${outcome.kind}`);
  return outcome;
};

it('stores a written contact at once, and the next incremental round neither duplicates it nor counts a change', async () => {
  const created = await write({
    schemaVersion: 1,
    resource: 'contacts',
    op: 'create',
    fields: { givenName: 'Echo', familyName: 'Free', emails: ['echo@example.com'] },
  });
  expect(created?.status).toBe('applied');
  // In the CRM table before any sync ran, sealed like a synced row.
  const stored = (await rows()).find((r) => r.external_id === created?.externalId);
  expect(stored).toMatchObject({ given_name: 'Echo', emails: ['echo@example.com'] });
  const round = await incremental();
  expect(round.round.mode).toBe('incremental');
  expect(round.counts).toMatchObject({ added: 0, updated: 0, deleted: 0 });
  expect((await rows()).filter((r) => r.external_id === created?.externalId)).toHaveLength(1);

  const updated = await write({
    schemaVersion: 1,
    resource: 'contacts',
    op: 'update',
    externalId: created?.externalId ?? '',
    baseVersion: created?.version ?? '',
    fields: { emails: ['echo@corp.example'] },
  });
  expect((await rows()).find((r) => r.external_id === created?.externalId)).toMatchObject({
    emails: ['echo@corp.example'],
  });
  expect((await incremental()).counts).toMatchObject({ added: 0, updated: 0, deleted: 0 });

  await write({
    schemaVersion: 1,
    resource: 'contacts',
    op: 'delete',
    externalId: created?.externalId ?? '',
    baseVersion: updated?.version ?? '',
  });
  expect((await rows()).find((r) => r.external_id === created?.externalId)).toBeUndefined();
  expect((await incremental()).counts).toMatchObject({ added: 0, updated: 0, deleted: 0 });
});

it('on a conflict, syncs the provider current version into the CRM table at once', async () => {
  const created = await write({
    schemaVersion: 1,
    resource: 'contacts',
    op: 'create',
    fields: { givenName: 'Base' },
  });
  const id = (created?.externalId ?? '').slice('people/'.length);
  h.sandbox.control.updateItem('google', accountId, 'contacts', id, { givenName: 'Elsewhere' });
  const conflict = await write({
    schemaVersion: 1,
    resource: 'contacts',
    op: 'update',
    externalId: created?.externalId ?? '',
    baseVersion: created?.version ?? '',
    fields: { givenName: 'Mine' },
  });
  expect(conflict?.status).toBe('conflict');
  expect((await rows()).find((r) => r.external_id === created?.externalId)).toMatchObject({
    given_name: 'Elsewhere',
  });
});

describe.each(PROVIDER_CASES)('$name', (c) => {
  let caseConnection: string;

  beforeAll(async () => {
    ({ connectionId: caseConnection } = await connectSandboxAccount(h, {
      provider: c.provider,
      email: `agree-${c.provider}-${c.syncResource}@example.com`,
      sizes: { [c.sandboxResource]: 3 },
      resources: [c.syncResource],
      writes: [c.resource],
    }));
    await syncUntilCaughtUp(engine, caseConnection, c.syncResource);
  });

  const written = async (externalId: string | null | undefined) =>
    (
      await openRows(h.db.dataSource, h.deps.content, c.table, 'connection_id = $1 AND deleted_at IS NULL', [
        caseConnection,
      ])
    ).filter((r) => r.external_id === externalId);
  const round = async () => {
    const outcome = await runSlice(engine, {
      connectionId: caseConnection,
      resource: c.syncResource,
      budgetMs: 30_000,
    });
    if (outcome.kind !== 'caught_up') throw new Error(`slice ended ${outcome.kind}`);
    return outcome;
  };

  it('stores a created, updated and deleted item at once, and the next round reports none of it', async () => {
    const deps = applyDepsOf(h, engine.tokens);
    const created = await applyAndRead(deps, await submitWrite(h, caseConnection, c.create));
    expect(await written(created?.externalId)).toHaveLength(1);
    const first = await round();
    expect(first.round.mode).toBe('incremental');
    expect(first.counts).toMatchObject({ added: 0, updated: 0, deleted: 0 });
    expect(await written(created?.externalId)).toHaveLength(1);

    const at = {
      schemaVersion: 1 as const,
      resource: c.resource,
      externalId: created?.externalId ?? '',
      ...c.itemExtra,
    };
    const updated = await applyAndRead(
      deps,
      await submitWrite(h, caseConnection, {
        ...at,
        op: 'update',
        baseVersion: created?.version ?? '',
        [c.bodyKey]: c.update,
      } as WriteRequest),
    );
    expect(updated?.status).toBe('applied');
    expect((await round()).counts).toMatchObject({ added: 0, updated: 0, deleted: 0 });

    const deleted = await applyAndRead(
      deps,
      await submitWrite(h, caseConnection, {
        ...at,
        op: 'delete',
        baseVersion: updated?.version ?? '',
      } as WriteRequest),
    );
    expect(deleted?.status).toBe('applied');
    expect(await written(created?.externalId)).toHaveLength(0);
    expect((await round()).counts).toMatchObject({ added: 0, updated: 0, deleted: 0 });
  });
});

// Last: it ends this file's connection.
it('stores no row for a connection that ended between the provider call and the outcome', async () => {
  // The ending's part that writers see: the connection's resources disabled (lifecycle/endConnection.ts). A purge
  // that follows an ending must find every row written before it, and none may come after.
  await syncStates.disableConnection(h.db.dataSource, connectionId, 'disconnected');
  const created = await write({
    schemaVersion: 1,
    resource: 'contacts',
    op: 'create',
    fields: { givenName: 'Late', familyName: 'Outcome', emails: ['late@example.com'] },
  });
  expect(created?.status).toBe('applied');
  expect((await rows()).filter((r) => r.external_id === created?.externalId)).toHaveLength(0);
});
