import { createHash } from 'node:crypto';
import { openRows, type ConnectionsHarness, type OpenedRow } from '@crm-sync/connections/testing';
import type { CrmTableName, Provider, Resource } from '@crm-sync/core';
import type { ContentKeys } from '@crm-sync/vault';
import { type Account, calendarWireId, GRAPH_MAIL_FOLDER_IDS } from '@crm-sync/provider-sandbox';

/**
 * How one (provider, resource) lands in the CRM tables, for oracles that compare the sandbox with the table:
 * which sandbox resource feeds it, and one field that a syncer must carry over verbatim.
 */
export interface SyncCase {
  provider: Provider;
  resource: Resource;
  /** The sandbox's name for the resource (account `sizes` key, control API resource). */
  sandboxResource: string;
  table: CrmTableName;
  objectType?: string;
  /** The sandbox item's value of the checked field. */
  field: (data: Record<string, unknown>) => string | null;
  /** The same value in `table`'s rows as `openRows` gives them: a column, or `properties.<name>`. */
  column: string;
  /** Control-API fields that change the checked field to `value`. */
  edit: (value: string) => Record<string, unknown>;
  /** The id the provider sends for a stored sandbox id, when they differ. */
  wireId?: (storedId: string, account: Account) => string;
  /** Whether a stored item is live at the provider (HubSpot keeps archived objects); default: all are. */
  live?: (data: Record<string, unknown>) => boolean;
  /** False when the provider's cursor is a watermark the sandbox cannot expire (HubSpot last-modified). */
  cursorsExpire?: boolean;
  /** The provider's ordinary deletion, as control-API fields when it is an update (HubSpot archives). */
  deleteFields?: Record<string, unknown>;
  /**
   * Control-API fields that file an item elsewhere (a folder, labels). Some places are outside the CRM's view
   * (Trash, Junk: `live` says which), and a move back out brings the item back under the same id.
   */
  moves?: Record<string, unknown>[];
  /** Control-API fields that bring a deleted item back under its id (HubSpot restores archived objects). */
  restoreFields?: Record<string, unknown>;
}

// Graph syncers ask for immutable ids; the sandbox stores `AAMkAG…` and answers `AAkALg…`
// (provider-sandbox src/microsoft/graph/render.ts). The control API takes the stored form.
const graphImmutableId = (storedId: string) =>
  storedId.startsWith('AAMkAG') ? `AAkALg${storedId.slice('AAMkAG'.length)}` : storedId;

// HubSpot deletes by archiving (a hard GDPR delete is another thing; see providers' README).
const hubspotLive = (data: Record<string, unknown>) => data.archivedAt === null;
const prop = (name: string) => (data: Record<string, unknown>) =>
  ((data.properties as Record<string, string | null>)[name] ?? null) as string | null;
const key = (name: string) => (data: Record<string, unknown>) => data[name] as string;

/** HubSpot's three object types differ only in their type and the property checked. */
function hubspotCase(objectType: 'contacts' | 'companies' | 'deals', property: string): SyncCase {
  return {
    provider: 'hubspot',
    resource: objectType,
    sandboxResource: objectType,
    table: 'crm_objects',
    objectType,
    field: prop(property),
    column: `properties.${property}`,
    edit: (v) => ({ [property]: v }),
    live: hubspotLive,
    cursorsExpire: false,
    deleteFields: { archived: true },
    restoreFields: { archived: false },
  };
}

// Gmail: a full round leaves out Trash and Spam (`includeSpamTrash` off), and so does the CRM.
const GMAIL_HIDDEN = ['TRASH', 'SPAM'];
const GMAIL_MOVES = [
  ['INBOX'],
  ['INBOX', 'STARRED'],
  ['SENT'],
  ['TRASH'],
  ['SPAM'],
  ['CATEGORY_UPDATES'],
].map((labelIds) => ({ labelIds }));
// Graph: the mail syncer follows every folder but Deleted Items and Junk Email by default (MICROSOFT_DESCRIPTOR).
const GRAPH_HIDDEN = [GRAPH_MAIL_FOLDER_IDS.deleteditems, GRAPH_MAIL_FOLDER_IDS.junkemail];
const GRAPH_MOVES = Object.values(GRAPH_MAIL_FOLDER_IDS).map((parentFolderId) => ({ parentFolderId }));

export const SYNC_CASES: SyncCase[] = [
  {
    provider: 'google',
    resource: 'mail',
    sandboxResource: 'messages',
    table: 'emails',
    field: key('subject'),
    column: 'subject',
    edit: (v) => ({ subject: v }),
    live: (data) => !(data.labelIds as string[]).some((l) => GMAIL_HIDDEN.includes(l)),
    moves: GMAIL_MOVES,
  },
  {
    provider: 'google',
    resource: 'calendar',
    sandboxResource: 'events',
    table: 'calendar_events',
    field: key('summary'),
    column: 'title',
    edit: (v) => ({ summary: v }),
    // Occurrences of a series come as instances (`<series id>_<start>`); a cancelled occurrence is not an event.
    wireId: (id, account) => calendarWireId(account, id),
    live: (data) => data.cancelled !== true,
  },
  {
    provider: 'google',
    resource: 'contacts',
    sandboxResource: 'contacts',
    table: 'contacts',
    field: key('givenName'),
    column: 'given_name',
    edit: (v) => ({ givenName: v }),
    // The People API names a person by resource name.
    wireId: (id) => `people/${id}`,
  },
  {
    provider: 'google',
    resource: 'tasks',
    sandboxResource: 'tasks',
    table: 'tasks',
    field: key('title'),
    column: 'title',
    edit: (v) => ({ title: v }),
    // Google keeps a deleted task and lists it with `deleted: true` (showDeleted); it is not the CRM's any more.
    live: (data) => data.deleted !== true,
    deleteFields: { deleted: true },
    // `updatedMin` is a time the syncer keeps, not a token the sandbox can expire.
    cursorsExpire: false,
  },
  {
    provider: 'microsoft',
    resource: 'mail',
    sandboxResource: 'messages',
    table: 'emails',
    field: key('subject'),
    column: 'subject',
    edit: (v) => ({ subject: v }),
    wireId: graphImmutableId,
    live: (data) => !GRAPH_HIDDEN.includes(data.parentFolderId as string),
    moves: GRAPH_MOVES,
  },
  {
    provider: 'microsoft',
    resource: 'calendar',
    sandboxResource: 'events',
    table: 'calendar_events',
    field: key('subject'),
    column: 'title',
    edit: (v) => ({ subject: v }),
    wireId: graphImmutableId,
  },
  {
    provider: 'microsoft',
    resource: 'contacts',
    sandboxResource: 'contacts',
    table: 'contacts',
    field: key('givenName'),
    column: 'given_name',
    edit: (v) => ({ givenName: v }),
    wireId: graphImmutableId,
  },
  {
    provider: 'microsoft',
    resource: 'tasks',
    sandboxResource: 'tasks',
    table: 'tasks',
    field: key('title'),
    column: 'title',
    edit: (v) => ({ title: v }),
  },
  hubspotCase('contacts', 'email'),
  hubspotCase('companies', 'name'),
  hubspotCase('deals', 'dealname'),
];

/** Every live item of the account's resource in the sandbox: id as the provider sends it -> checked field. */
export function sandboxSnapshot(
  h: ConnectionsHarness,
  c: SyncCase,
  accountId: string,
): Map<string, string | null> {
  const account = h.sandbox.context.accounts.get(c.provider, accountId);
  if (!account) throw new Error(`no sandbox ${c.provider} account ${accountId}`);
  const wire = c.wireId ?? ((id: string) => id);
  return new Map([...sandboxItems(h, c, accountId)].map(([id, value]) => [wire(id, account), value]));
}

/**
 * Stored ids of the account's items, in creation order: what the control API takes. Live ones by default; `hidden`
 * for those the provider still keeps out of the CRM's view (archived, in Trash), which a restore or move brings back.
 */
export function sandboxIds(
  h: ConnectionsHarness,
  c: SyncCase,
  accountId: string,
  which: 'live' | 'hidden' | 'all' = 'live',
): string[] {
  return [...sandboxItems(h, c, accountId, which).keys()];
}

/** The data of every live item of the account's resource in the sandbox, as the control API holds it. */
export function sandboxData(
  h: ConnectionsHarness,
  c: SyncCase,
  accountId: string,
): Record<string, unknown>[] {
  const { accounts, datasets } = h.sandbox.context;
  const account = accounts.get(c.provider, accountId);
  const generator = datasets.generator(c.provider, c.sandboxResource);
  if (!account || !generator)
    throw new Error(`no sandbox ${c.provider} ${c.sandboxResource} for ${accountId}`);
  const dataset = datasets.open(account, generator);
  const out: Record<string, unknown>[] = [];
  let after: number | undefined;
  do {
    const page = dataset.page({ after, limit: 1000, order: 'asc' });
    for (const item of page.items) {
      const data = item.data as Record<string, unknown>;
      if (c.live?.(data) ?? true) out.push(data);
    }
    after = page.nextOrdinal;
  } while (after !== undefined);
  return out;
}

function sandboxItems(
  h: ConnectionsHarness,
  c: SyncCase,
  accountId: string,
  which: 'live' | 'hidden' | 'all' = 'live',
): Map<string, string | null> {
  const { accounts, datasets } = h.sandbox.context;
  const account = accounts.get(c.provider, accountId);
  const generator = datasets.generator(c.provider, c.sandboxResource);
  if (!account || !generator)
    throw new Error(`no sandbox ${c.provider} ${c.sandboxResource} for ${accountId}`);
  const dataset = datasets.open(account, generator);
  const out = new Map<string, string | null>();
  let after: number | undefined;
  do {
    const page = dataset.page({ after, limit: 1000, order: 'asc' });
    for (const item of page.items) {
      const data = item.data as Record<string, unknown>;
      const live = c.live?.(data) ?? true;
      if (which === 'all' || live === (which === 'live')) out.set(item.id, c.field(data));
    }
    after = page.nextOrdinal;
  } while (after !== undefined);
  return out;
}

/** Every live row of the connection in the case's table, opened: external id -> checked column (or the one named). */
export async function tableSnapshot(
  h: ConnectionsHarness,
  c: SyncCase,
  connectionId: string,
  column = c.column,
  /** The keys the rows were sealed with: a worker process of its own has its own vault key. */
  content: ContentKeys = h.deps.content,
): Promise<Map<string, string | null>> {
  const byType = c.objectType ? `AND object_type = $2` : '';
  const rows = await openRows(
    h.db.dataSource,
    content,
    c.table,
    `connection_id = $1 AND deleted_at IS NULL ${byType}`,
    c.objectType ? [connectionId, c.objectType] : [connectionId],
  );
  return new Map(rows.map((r) => [String(r.external_id), valueAt(r, column)]));
}

function valueAt(row: OpenedRow, column: string): string | null {
  const [name, property] = column.split('.') as [string, string | undefined];
  const value =
    property === undefined ? row[name] : (row[name] as Record<string, unknown> | null)?.[property];
  return (value ?? null) as string | null;
}

/** Order-independent digest of a snapshot, so a mismatch report stays short. */
export function snapshotChecksum(snapshot: Map<string, string | null>): string {
  const lines = [...snapshot].map(([id, value]) => `${id}\t${value ?? '\u0000'}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** Rows of the connection in the case's table, deleted ones included, grouped by external id count (dupes). */
export async function duplicateRows(
  h: ConnectionsHarness,
  c: SyncCase,
  connectionId: string,
): Promise<number> {
  const [row] = (await h.db.dataSource.query(
    `SELECT count(*) - count(DISTINCT external_id) AS dupes FROM ${c.table} WHERE connection_id = $1`,
    [connectionId],
  )) as Array<{ dupes: string }>;
  return Number(row?.dupes ?? 0);
}

/** Deletes an item the way the provider's users do (HubSpot archives; the others delete). */
export function deleteAtProvider(h: ConnectionsHarness, c: SyncCase, accountId: string, id: string): void {
  if (c.deleteFields)
    h.sandbox.control.updateItem(c.provider, accountId, c.sandboxResource, id, c.deleteFields);
  else h.sandbox.control.deleteItem(c.provider, accountId, c.sandboxResource, id);
}
