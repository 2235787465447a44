import {
  connectSandboxAccount,
  createConnectionsHarness,
  type ConnectionsHarness,
} from '@crm-sync/connections/testing';
import type { WriteRequest } from '@crm-sync/core';
import { testAccessTokens } from '@crm-sync/sync-engine/testing';
import {
  applyAndRead,
  applyDepsOf,
  callsTo,
  PROVIDER_CASES,
  sandboxField,
  sandboxItems,
  submitWrite,
} from '../test';
import { acceptWrite } from './accept';
import { applyWrites } from './apply';
import { getWrite } from './rows';
import type { ApplyDeps } from './deps';

let h: ConnectionsHarness;
let deps: ApplyDeps;

beforeAll(async () => {
  h = await createConnectionsHarness();
  deps = applyDepsOf(h, testAccessTokens(h));
});
afterAll(() => h.close());

// Per provider and resource (docs/write-back.md, "Providers"): the People contacts writer has its own tests
// (apply.int.test.ts), written before these were shared.
describe.each(PROVIDER_CASES)('$name', (c) => {
  let connectionId: string;
  let accountId: string;
  let readOnly: string;

  beforeAll(async () => {
    const connected = await connectSandboxAccount(h, {
      provider: c.provider,
      email: `writes-${c.provider}-${c.syncResource}@example.com`,
      sizes: { [c.sandboxResource]: 3 },
      resources: [c.syncResource],
      writes: [c.resource],
    });
    ({ connectionId } = connected);
    accountId = connected.account.id;
    ({ connectionId: readOnly } = await connectSandboxAccount(h, {
      provider: c.provider,
      email: `reads-${c.provider}-${c.syncResource}@example.com`,
      resources: [c.syncResource],
    }));
  });

  const run = async (write: WriteRequest) => applyAndRead(deps, await submitWrite(h, connectionId, write));
  /** The live item (an archived HubSpot object is kept by the provider, but no longer live). */
  const item = (externalId: string | null | undefined) =>
    sandboxItems(h, c.provider, c.sandboxResource, accountId).find(
      (i) => i.id === c.sandboxId(externalId ?? '') && !c.archived(i.data),
    );
  const change = (op: 'update' | 'delete', at: { externalId?: string | null; version?: string | null }) => ({
    schemaVersion: 1 as const,
    resource: c.resource,
    op,
    externalId: at.externalId ?? '',
    baseVersion: at.version ?? '',
    ...c.itemExtra,
  });
  const update = (at: { externalId?: string | null; version?: string | null }, body = c.update) =>
    ({ ...change('update', at), [c.bodyKey]: body }) as WriteRequest;
  const created = (body: Record<string, unknown>) => ({ ...c.create, [c.bodyKey]: body }) as WriteRequest;

  it('creates, updates and deletes, each outcome with the provider version', async () => {
    const created = await run(c.create);
    expect(created).toMatchObject({ status: 'applied', externalId: expect.any(String) });
    expect(item(created?.externalId)).toBeDefined();
    const updated = await run(update(created ?? {}));
    expect(updated).toMatchObject({ status: 'applied', externalId: created?.externalId });
    expect(updated?.version).not.toBe(created?.version);
    expect(sandboxField(c, item(created?.externalId)?.data, c.updated[0])).toEqual(c.updated[1]);
    const deleted = await run(change('delete', updated ?? {}) as WriteRequest);
    expect(deleted).toMatchObject({ status: 'applied', version: null });
    expect(item(created?.externalId)).toBeUndefined();
  });

  it('ends a write based on a version changed elsewhere as a conflict, changing nothing', async () => {
    const created = await run(c.create);
    const id = c.sandboxId(created?.externalId ?? '');
    h.sandbox.control.updateItem(c.provider, accountId, c.sandboxResource, id, c.elsewhere);
    const before = item(created?.externalId)?.data;
    const stale = await run(update(created ?? {}));
    expect(stale).toMatchObject({ status: 'conflict', externalId: created?.externalId });
    expect(stale?.version).not.toBe(created?.version);
    const remove = await run(change('delete', created ?? {}) as WriteRequest);
    expect(remove).toMatchObject({ status: 'conflict', version: stale?.version });
    expect(item(created?.externalId)?.data).toEqual(before);
  });

  it('on an item deleted elsewhere: an update is a conflict with no current item, a delete holds', async () => {
    const created = await run(c.create);
    h.sandbox.control.deleteItem(
      c.provider,
      accountId,
      c.sandboxResource,
      c.sandboxId(created?.externalId ?? ''),
    );
    expect(await run(update(created ?? {}))).toMatchObject({ status: 'conflict', version: null });
    expect(await run(change('delete', created ?? {}) as WriteRequest)).toMatchObject({
      status: 'applied',
      version: null,
    });
    expect(item(created?.externalId)).toBeUndefined();
  });

  it('ends a write the provider refuses as refused, changing nothing', async () => {
    const made = await run(c.create);
    const before = sandboxItems(h, c.provider, c.sandboxResource, accountId);
    const write = c.refused.op === 'create' ? created(c.refused.body) : update(made ?? {}, c.refused.body);
    const refused = await run(write);
    expect(refused).toMatchObject({ status: 'refused', reason: expect.stringMatching(/^provider_refused/) });
    expect(sandboxItems(h, c.provider, c.sandboxResource, accountId)).toEqual(before);
  });

  it('refuses a write whose permission was not granted, without calling the provider', async () => {
    const creates = callsTo(h, c.createRoute);
    const refused = await applyAndRead(deps, await submitWrite(h, readOnly, c.create));
    expect(refused).toMatchObject({
      status: 'refused',
      reason: expect.stringMatching(/^missing_scope: needs /),
    });
    expect(callsTo(h, c.createRoute)).toBe(creates);
  });

  it('answers a request retried with its Idempotency-Key with the first write, creating one item', async () => {
    const creates = callsTo(h, c.createRoute);
    const submit = () =>
      acceptWrite(h.deps, {
        tenantId: 't1',
        connectionId,
        requestedBy: 'crm',
        idempotencyKey: `retry-${c.provider}-${c.syncResource}`,
        write: c.create,
        announce: false,
      });
    const first = await submit();
    if (first.kind !== 'accepted') throw new Error(first.kind);
    const done = await applyAndRead(deps, first.writeId);
    const again = await submit();
    expect(again).toEqual({ kind: 'accepted', writeId: first.writeId, created: false });
    expect(await applyAndRead(deps, first.writeId)).toEqual(done);
    expect(callsTo(h, c.createRoute)).toBe(creates + 1);
  });

  it('retries a create the provider throttled, tagged once at the provider', async () => {
    const writeId = await submitWrite(h, connectionId, c.create);
    h.sandbox.control.addFault({
      provider: c.provider,
      route: c.createRoute,
      accountId,
      action: { kind: 'status', status: 429, retryAfterSeconds: 1 },
      next: 1,
    });
    // A failure the provider may recover from is thrown, so the job is retried; the write stays pending.
    await expect(applyWrites(deps, writeId, { finalAttempt: false })).rejects.toThrow();
    expect(await getWrite(h.db.dataSource, '*', writeId)).toMatchObject({ status: 'pending' });
    expect(await applyAndRead(deps, writeId)).toMatchObject({ status: 'applied' });
    const tagged = sandboxItems(h, c.provider, c.sandboxResource, accountId).filter(
      (i) => c.tagOf(i.data) === writeId,
    );
    expect(tagged).toHaveLength(1);
  });

  it('does not create twice when the attempt before died between the provider call and the commit', async () => {
    const writeId = await submitWrite(h, connectionId, c.create);
    // What the first attempt did before dying: counted itself, then created the item tagged with the write id.
    await h.db.dataSource.query(`UPDATE writes SET attempts = 1 WHERE id = $1`, [writeId]);
    const adapter = h.deps.adapters.get(c.provider);
    const writer = adapter?.writes?.[c.resource];
    if (!adapter || !writer) throw new Error(`no ${c.provider} ${c.resource} writer`);
    const accessToken = await deps.accessToken(connectionId, adapter);
    const died = await writer.apply(c.create as never, { accessToken, clientKey: writeId, retried: false });
    if (died.kind !== 'applied') throw new Error(died.kind);
    const creates = callsTo(h, c.createRoute);
    const done = await applyAndRead(deps, writeId);
    expect(done).toMatchObject({ status: 'applied', externalId: died.externalId });
    expect(callsTo(h, c.createRoute)).toBe(creates);
    const tagged = sandboxItems(h, c.provider, c.sandboxResource, accountId).filter(
      (i) => c.tagOf(i.data) === writeId,
    );
    expect(tagged.map((i) => i.id)).toEqual([c.sandboxId(died.externalId)]);
  });
});
