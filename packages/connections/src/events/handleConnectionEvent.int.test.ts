import { setSyncStates } from '@crm-sync/sync-states/testing';
import { randomUUID } from 'node:crypto';
import { connectionEventSchema } from '@crm-sync/core';
import { SYNC_QUEUES } from '@crm-sync/queue';
import {
  connectSandboxAccount,
  createConnectionsHarness,
  deletionDeps,
  type ConnectionsHarness,
} from '../../test';
import { handleConnectionEvent, type EventDeps, type LifecycleEvent } from './handleConnectionEvent';

let h: ConnectionsHarness;
let deps: EventDeps;
beforeAll(async () => {
  h = await createConnectionsHarness();
  deps = { ...deletionDeps(h), intervals: { defaultMs: 300_000, jitterRatio: 0 }, batchSize: 100 };
});
afterAll(() => h.close());

const event = (fields: Record<string, unknown>): LifecycleEvent =>
  connectionEventSchema.parse({
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    tenantId: 't1',
    ...fields,
  }) as LifecycleEvent;

it('starts the first sync of a new connection at once', async () => {
  const { connectionId } = await connectSandboxAccount(h, { provider: 'google', email: 'first@example.com' });
  const result = await handleConnectionEvent(
    deps,
    event({ type: 'connection.connected', connectionId, provider: 'google', reconnected: false }),
  );
  expect(result).toEqual({ handled: 'sync_triggered', enqueued: 5 });
  const jobs = await h.deps.producer.queue(SYNC_QUEUES.google).getJobs(['waiting']);
  expect(
    jobs
      .filter((j) => j.data.connectionId === connectionId)
      .map((j) => j.data.resource)
      .sort(),
  ).toEqual(['calendar', 'contacts', 'files', 'mail', 'tasks']);
});

it('runs a requested full sync of one resource', async () => {
  const { connectionId } = await connectSandboxAccount(h, { provider: 'hubspot', email: 'full@example.com' });
  await setSyncStates(
    h.db.dataSource,
    { connectionIds: [connectionId] },
    { mode: 'incremental', cursor: 'c', nextSyncAt: { inSeconds: 3_600 } },
  );
  const result = await handleConnectionEvent(
    deps,
    event({ type: 'sync.requested', connectionId, resources: ['deals'], full: true }),
  );
  expect(result).toEqual({ handled: 'sync_triggered', enqueued: 1 });
  const states = await h.db.dataSource.query(
    `SELECT resource, cursor FROM sync_states WHERE connection_id = $1 ORDER BY resource`,
    [connectionId],
  );
  expect(states).toEqual([
    { resource: 'companies', cursor: 'c' },
    { resource: 'contacts', cursor: 'c' },
    { resource: 'deals', cursor: null },
    { resource: 'owners', cursor: 'c' },
  ]);
});

it('disconnects, revokes and deletes users through their events', async () => {
  const a = await connectSandboxAccount(h, {
    provider: 'microsoft',
    email: 'bye@example.com',
    crmUserId: 'bye',
  });
  const b = await connectSandboxAccount(h, { provider: 'google', email: 'risc@example.com' });
  expect(
    await handleConnectionEvent(
      deps,
      event({ type: 'connection.disconnect_requested', connectionId: a.connectionId, purge: false }),
    ),
  ).toEqual({
    handled: 'disconnected',
    changed: true,
    revoke: 'not_supported',
  });
  expect(
    await handleConnectionEvent(
      deps,
      event({ type: 'token.revoked', connectionId: b.connectionId, source: 'provider_webhook' }),
    ),
  ).toEqual({
    handled: 'revoked',
    changed: true,
  });
  const deletion = event({ type: 'user.deleted', crmUserId: 'bye' });
  const deleted = { handled: 'deleted', deletionRequestId: deletion.eventId, connections: 1 };
  expect(await handleConnectionEvent(deps, deletion)).toEqual(deleted);
  // Redelivered: the same request, already finished.
  expect(await handleConnectionEvent(deps, deletion)).toEqual(deleted);
  expect(
    await handleConnectionEvent(
      deps,
      event({
        type: 'connection.disconnect_requested',
        connectionId: a.connectionId,
        purge: true,
        tenantId: 'other',
      }),
    ),
  ).toEqual({ handled: 'ignored', reason: 'no such connection for the tenant' });
  expect(await h.deps.credentials.load(b.connectionId)).toBeNull();
});
