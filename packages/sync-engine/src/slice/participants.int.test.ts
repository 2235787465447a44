import { createConnectionsHarness, openRows, type ConnectionsHarness } from '@crm-sync/connections/testing';
import type { Provider, Resource } from '@crm-sync/core';
import { syncStates } from '@crm-sync/sync-states';
import {
  connectSandboxAccount,
  deleteAtProvider,
  engineDeps,
  type SandboxConnection,
  sandboxIds,
  SYNC_CASES,
  syncUntilCaughtUp,
} from '../../test';

// "All mail and meetings with a person" (issue 18, conversations and people): a Google, a Microsoft and a
// HubSpot account of the same tenant, synced by the engine through the official clients against the sandbox; the
// participants table answers the question across all three in one query: mail, meetings and CRM contacts.

let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

const ALICE = 'alice.partner@example.com';

/**
 * The CRM's query (docs/architecture.md, participants): a tenant's live mail, meetings and CRM contacts with one
 * address, by the address's blind index terms (the tenant's).
 */
const withPerson = async (tenantId: string, address = ALICE) =>
  (
    await h.db.dataSource.query<
      { provider: string; kind: string; roles: string[]; response: string | null }[]
    >(
      `SELECT c.provider,
              CASE WHEN e.id IS NOT NULL THEN 'mail' WHEN v.id IS NOT NULL THEN 'meeting' ELSE o.object_type END
                AS kind,
              p.roles, p.response
         FROM participants p
         JOIN connections c ON c.id = p.connection_id AND c.tenant_id = $2
         LEFT JOIN emails e ON e.connection_id = p.connection_id AND e.external_id = p.email_external_id
           AND e.deleted_at IS NULL
         LEFT JOIN calendar_events v ON v.connection_id = p.connection_id AND v.external_id = p.event_external_id
           AND v.deleted_at IS NULL
         LEFT JOIN crm_objects o ON o.connection_id = p.connection_id AND o.object_type = p.object_type
           AND o.external_id = p.object_external_id AND o.deleted_at IS NULL
        WHERE p.term = ANY($1) AND (e.id IS NOT NULL OR v.id IS NOT NULL OR o.id IS NOT NULL)
        ORDER BY 1, 2`,
      [h.deps.content.indexKeys.lookupTerms('address', tenantId, address), tenantId],
    )
  ).map((r) => [r.provider, r.kind, r.roles.join('+'), r.response]);

/** Syncs a resource, edits one of its synced items at the provider, and syncs the change in; returns its id. */
async function editSynced(
  connectionId: string,
  provider: Provider,
  account: SandboxConnection['account'],
  resource: Resource,
  fields: Record<string, unknown>,
  id?: string,
): Promise<string> {
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
  const edited =
    id ?? sandboxIds(h, sync, account.id).find((i) => stored.has(sync.wireId?.(i, account) ?? i))!;
  h.sandbox.control.updateItem(provider, account.id, sync.sandboxResource, edited, fields);
  await syncStates.triggerNow(h.db.dataSource, { connectionId, resources: [resource], full: false });
  await syncUntilCaughtUp(deps, connectionId, resource);
  return edited;
}

test("a participant query returns the person's mail, meetings and CRM contacts across providers", async () => {
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
  const hubspot = await connectSandboxAccount(h, {
    provider: 'hubspot',
    email: 'people-h@example.com',
    sizes: { contacts: 10 },
    resources: ['contacts'],
    tenantId: 't-people',
  });
  await editSynced(hubspot.connectionId, 'hubspot', hubspot.account, 'contacts', {
    email: 'Alice.Partner@example.com',
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

  expect(await withPerson('t-people')).toEqual([
    ['google', 'mail', 'to', null],
    ['google', 'meeting', 'attendee', 'needsAction'],
    ['hubspot', 'contacts', 'contact', null],
    ['microsoft', 'mail', 'cc', null],
    ['microsoft', 'meeting', 'attendee', 'tentativelyAccepted'],
  ]);
  // Another tenant's query sees none of it.
  expect(await withPerson('t-other')).toEqual([]);
});

test("a HubSpot contact's participant rows follow its addresses: an edit moves them, archiving removes them", async () => {
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'hubspot',
    email: 'people-h2@example.com',
    sizes: { contacts: 10 },
    resources: ['contacts'],
    tenantId: 't-crm',
  });
  const rowsOf = async (id: string) =>
    (
      await openRows(
        h.db.dataSource,
        h.deps.content,
        'participants',
        `connection_id = $1 AND object_type = 'contacts' AND object_external_id = $2`,
        [connectionId, id],
      )
    )
      .map((r) => String(r.address))
      .sort();
  // Primary and additional emails (semicolon-separated), normalised.
  const id = await editSynced(connectionId, 'hubspot', account, 'contacts', {
    email: ALICE,
    hs_additional_emails: 'Alice@Partner-Home.example;alice.p@example.org',
  });
  expect(await rowsOf(id)).toEqual(['alice.p@example.org', ALICE, 'alice@partner-home.example']);
  expect(await withPerson('t-crm')).toEqual([['hubspot', 'contacts', 'contact', null]]);

  await editSynced(connectionId, 'hubspot', account, 'contacts', { email: 'alice@new-job.example' }, id);
  expect(await rowsOf(id)).toEqual([
    'alice.p@example.org',
    'alice@new-job.example',
    'alice@partner-home.example',
  ]);
  expect(await withPerson('t-crm')).toEqual([]);
  expect(await withPerson('t-crm', 'alice@new-job.example')).toEqual([
    ['hubspot', 'contacts', 'contact', null],
  ]);

  const contacts = SYNC_CASES.find((s) => s.provider === 'hubspot' && s.resource === 'contacts')!;
  deleteAtProvider(h, contacts, account.id, id);
  await syncStates.triggerNow(h.db.dataSource, { connectionId, resources: ['contacts'], full: false });
  await syncUntilCaughtUp(engineDeps(h), connectionId, 'contacts');
  expect(await rowsOf(id)).toEqual([]);
  // The contact's row stays (marked deleted); its people do not.
  const [row] = await h.db.dataSource.query<{ deleted: boolean }[]>(
    `SELECT deleted_at IS NOT NULL AS deleted FROM crm_objects
      WHERE connection_id = $1 AND object_type = 'contacts' AND external_id = $2`,
    [connectionId, id],
  );
  expect(row).toEqual({ deleted: true });
});
