import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import type { Provider, Resource } from '@crm-sync/core';
import { syncStates } from '@crm-sync/sync-states';
import {
  connectSandboxAccount,
  engineDeps,
  type SandboxConnection,
  sandboxIds,
  SYNC_CASES,
  syncUntilCaughtUp,
} from '../../test';

// "All mail and meetings with a person" (issue 18, conversations and people): one Google and one Microsoft
// account of the same tenant, synced by the engine through the official clients against the sandbox; the
// participants table answers the question across both in one query.

let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

const ALICE = 'alice.partner@example.com';

/**
 * The CRM's query (docs/architecture.md, participants): a tenant's live mail and meetings with one address, by the
 * address's blind index terms (the tenant's).
 */
const withAlice = async (tenantId: string) =>
  (
    await h.db.dataSource.query<
      { provider: string; kind: string; roles: string[]; response: string | null }[]
    >(
      `SELECT c.provider, CASE WHEN e.id IS NOT NULL THEN 'mail' ELSE 'meeting' END AS kind, p.roles, p.response
         FROM participants p
         JOIN connections c ON c.id = p.connection_id AND c.tenant_id = $2
         LEFT JOIN emails e ON e.connection_id = p.connection_id AND e.external_id = p.email_external_id
           AND e.deleted_at IS NULL
         LEFT JOIN calendar_events v ON v.connection_id = p.connection_id AND v.external_id = p.event_external_id
           AND v.deleted_at IS NULL
        WHERE p.term = ANY($1) AND (e.id IS NOT NULL OR v.id IS NOT NULL)
        ORDER BY 1, 2`,
      [h.deps.content.indexKeys.lookupTerms('address', tenantId, ALICE), tenantId],
    )
  ).map((r) => [r.provider, r.kind, r.roles.join('+'), r.response]);

/** Syncs a resource, edits one of its synced items at the provider, and syncs the change in. */
async function editSynced(
  connectionId: string,
  provider: Provider,
  account: SandboxConnection['account'],
  resource: Resource,
  fields: Record<string, unknown>,
) {
  const deps = engineDeps(h);
  await syncUntilCaughtUp(deps, connectionId, resource);
  const sync = SYNC_CASES.find((s) => s.provider === provider && s.resource === resource)!;
  const stored = new Set(
    (
      await h.db.dataSource.query<{ id: string }[]>(
        `SELECT external_id AS id FROM ${sync.table} WHERE connection_id = $1 AND deleted_at IS NULL`,
        [connectionId],
      )
    ).map((r) => r.id),
  );
  // An item the first round stored (Graph's calendar view lists only a window of events).
  const id = sandboxIds(h, sync, account.id).find((i) => stored.has(sync.wireId?.(i, account) ?? i))!;
  h.sandbox.control.updateItem(provider, account.id, sync.sandboxResource, id, fields);
  await syncStates.triggerNow(h.db.dataSource, { connectionId, resources: [resource], full: false });
  await syncUntilCaughtUp(deps, connectionId, resource);
}

test("a participant query returns the person's mail and meetings across providers", async () => {
  const google = await connectSandboxAccount(h, {
    provider: 'google',
    email: 'people-g@example.com',
    sizes: { messages: 10, events: 10 },
    resources: ['mail', 'calendar'],
    tenantId: 't-people',
  });
  const microsoft = await connectSandboxAccount(h, {
    provider: 'microsoft',
    email: 'people-m@example.com',
    sizes: { messages: 10, events: 10 },
    resources: ['mail', 'calendar'],
    tenantId: 't-people',
  });
  await editSynced(google.connectionId, 'google', google.account, 'mail', {
    to: `"Alice Partner" <Alice.Partner@Example.com>, people-g@example.com`,
  });
  await editSynced(google.connectionId, 'google', google.account, 'calendar', {
    attendees: ['people-g@example.com', ALICE],
  });
  await editSynced(microsoft.connectionId, 'microsoft', microsoft.account, 'mail', {
    ccRecipients: [{ emailAddress: { name: 'Alice Partner', address: 'ALICE.partner@example.com' } }],
  });
  await editSynced(microsoft.connectionId, 'microsoft', microsoft.account, 'calendar', {
    attendees: [
      {
        type: 'required',
        status: { response: 'tentativelyAccepted', time: '2026-03-01T00:00:00Z' },
        emailAddress: { name: 'Alice Partner', address: ALICE },
      },
    ],
  });

  expect(await withAlice('t-people')).toEqual([
    ['google', 'mail', 'to', null],
    ['google', 'meeting', 'attendee', 'needsAction'],
    ['microsoft', 'mail', 'cc', null],
    ['microsoft', 'meeting', 'attendee', 'tentativelyAccepted'],
  ]);
  // Another tenant's query sees none of it.
  expect(await withAlice('t-other')).toEqual([]);
});
