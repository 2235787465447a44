import type {
  ChildFieldsByTable,
  CrmTableName,
  ItemLinks,
  ListedWindow,
  RecordsByTable,
  Resource,
  RowRecord,
  SyncPage,
} from '@crm-sync/core';
import {
  calendarEventUpsert,
  contactParticipantChildren,
  contactUpsert,
  crmObjectParticipantChildren,
  crmObjectUpsert,
  driveFileUpsert,
  dropLinksOfDeleted,
  emailAttachmentChildren,
  emailParticipantChildren,
  emailUpsert,
  eventParticipantChildren,
  markDeleted,
  replaceLinks,
  sweepUnseen,
  taskUpsert,
  type SealedTable,
  type SqlExecutor,
  type UpsertSpec,
} from '@crm-sync/db';
import type { ContentKeys } from '@crm-sync/vault';
import {
  childField,
  derivedChildren,
  removeDeletedChildren,
  rowPart,
  writeChildren,
  type ChildTable,
} from './children';
import { quarantine, upsertOrQuarantine } from './quarantine';
import {
  contactParticipants,
  crmObjectParticipants,
  emailParticipants,
  eventParticipants,
} from './participants';
import { messageTerms } from './messageTerms';
import { makeSafe } from './safeValues';
import { PageSealer, rowKeyOf, sealAttachment, sealParticipant } from './sealing';

/**
 * Longer ids cannot be keys: a btree entry holds at most about a third of an 8 kB page
 * (https://www.postgresql.org/docs/current/btree-implementation.html), and no provider's ids come near this.
 */
const MAX_ID_LENGTH = 1024;

/** A row as the engine writes it: the record's plain fields, its sealed content and the engine's stamp. */
type SealedRow = { externalId: string } & Record<string, unknown>;

const SPECS = {
  emails: emailUpsert,
  calendar_events: calendarEventUpsert,
  contacts: contactUpsert,
  tasks: taskUpsert,
  drive_files: driveFileUpsert,
  crm_objects: crmObjectUpsert,
} as unknown as { [T in CrmTableName]: UpsertSpec<SealedRow> };

/**
 * Each table's child tables: records' child fields (core's ChildFieldsByTable) and the participants derived from
 * their address fields. All go through the same write path (children.ts), rewritten with their row.
 */
const CHILDREN: { [T in CrmTableName]: readonly ChildTable<T>[] } = {
  emails: [
    childField('attachments' satisfies ChildFieldsByTable['emails'], emailAttachmentChildren, sealAttachment),
    derivedChildren(emailParticipantChildren, emailParticipants, sealParticipant('emails')),
  ],
  calendar_events: [
    derivedChildren(eventParticipantChildren, eventParticipants, sealParticipant('calendar_events')),
  ],
  contacts: [derivedChildren(contactParticipantChildren, contactParticipants, sealParticipant('contacts'))],
  tasks: [],
  drive_files: [],
  crm_objects: [
    derivedChildren(
      crmObjectParticipantChildren,
      crmObjectParticipants,
      sealParticipant('crm_objects'),
      'addresses' satisfies ChildFieldsByTable['crm_objects'],
    ),
  ],
};

export interface PageCounts {
  added: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** Rows a completed full round did not list, marked deleted. */
  swept: number;
  /** Records stored with values made safe (records/safeValues.ts). */
  sanitized: number;
  /** Records set aside in sync_quarantine instead of stored. */
  quarantined: number;
}

/** Where a page lands: one resource's rows of one connection. */
export interface PageTarget<T extends CrmTableName> {
  table: T;
  /** For crm_objects: the object type of every record and deletion. */
  objectType: string | undefined;
  connectionId: string;
  /** The connection's tenant: blind index terms are keyed per tenant. */
  tenantId: string;
  resource: Resource;
}

/** The round a page belongs to, and whether the page completes a full round (which then sweeps). */
export interface PageRound {
  generation: number;
  /** Set on the page that completes a full round; `window` when that round listed only a window. */
  sweep: { window: ListedWindow | undefined } | null;
}

/** A syncer that writes crm_objects without saying which object type it owns: a programming error. */
export class MissingObjectTypeError extends Error {
  override name = 'MissingObjectTypeError';
}

/**
 * Upserts a page's records, marks its deletions and, on the page that completes a full round, sweeps the rows the
 * round did not list, inside the caller's transaction. The hash covers the whole record, so a record the provider
 * re-sends unchanged costs a comparison and, at most, the write of its round generation. Content is sealed under
 * the connection's data key before it leaves the process (records/sealing.ts, docs/encryption-at-rest.md).
 */
export async function writePage<T extends CrmTableName>(
  executor: SqlExecutor,
  keys: ContentKeys,
  target: PageTarget<T>,
  page: Pick<SyncPage<T>, 'upserts' | 'deletes' | 'links' | 'setAside'>,
  round: PageRound,
): Promise<PageCounts> {
  const { table, objectType, connectionId } = target;
  if (table === 'crm_objects' && !objectType)
    throw new MissingObjectTypeError('a crm_objects syncer must declare its objectType');
  const { records, deletes, links, sanitized, unsafeIds } = safePage(page);
  for (const id of unsafeIds) await quarantine(executor, target, id, 'unsafe external id');
  // Filed before the upsert, which clears the entry of an item the same page also stores readable.
  const setAside = page.setAside ?? [];
  for (const item of setAside) await quarantine(executor, target, item.externalId, item.reason);
  const children = CHILDREN[table] as readonly ChildTable<T>[];
  const hasChildren = children.length > 0;
  const sealer = await PageSealer.open(keys, target);
  // The hash covers the children too, so a changed attachment list rewrites the row and, with it, its children.
  const rows = records.map((record): SealedRow => {
    const row: RowRecord<T> = rowPart(record, children);
    const stamp = {
      externalId: record.externalId,
      connectionId,
      contentHash: sealer.contentHash(record),
      seenRound: round.generation,
    };
    const { plain, sealed } = sealer.seal(table as SealedTable, rowKeyOf(record), row);
    // Tasks hold no addresses (no blind index); mail also gets the terms of its threading ids.
    if (table === 'tasks') return { ...plain, ...stamp, sealed };
    const extra =
      table === 'emails'
        ? { messageTerms: messageTerms(keys.indexKeys, target.tenantId, record as RecordsByTable['emails']) }
        : {};
    return { ...plain, ...stamp, sealed, blindIndex: sealer.termsOf(table, record), ...extra };
  });
  const {
    counts: upserted,
    quarantined,
    written,
  } = await upsertOrQuarantine(executor, SPECS[table], rows, target, hasChildren);
  // crm_objects ids are unique per object type only: their children are keyed by the page's type as well.
  const parents = { connectionId, parentType: table === 'crm_objects' ? objectType : undefined };
  if (hasChildren) await writeChildren(executor, children, sealer, parents, records, written);
  // Links belong to crm_objects rows (crm_associations): written after the rows they start from, and dropped
  // with them when they are deleted, here or by the sweep.
  const linkScope = table === 'crm_objects' ? { connectionId, fromType: objectType as string } : undefined;
  if (linkScope && links.length > 0) await replaceLinks(executor, linkScope, links);
  let deleted = 0;
  if (deletes.length > 0) {
    deleted =
      table === 'crm_objects'
        ? await markDeleted(executor, 'crm_objects', connectionId, deletes, objectType as string)
        : await markDeleted(executor, table as Exclude<CrmTableName, 'crm_objects'>, connectionId, deletes);
    if (linkScope) await dropLinksOfDeleted(executor, linkScope, deletes);
    if (hasChildren && deleted > 0) await removeDeletedChildren(executor, children, parents, deletes);
  }
  const swept = round.sweep
    ? await sweepUnseen(executor, table, {
        connectionId,
        generation: round.generation,
        ...(objectType !== undefined && { objectType }),
        ...(round.sweep.window && { window: round.sweep.window }),
      })
    : 0;
  // Every completed full round, not only one that swept: rows can be marked deleted outside a page too (the
  // completeness audit's ghosts), and their links and children go here at the latest.
  if (hasChildren && round.sweep) await removeDeletedChildren(executor, children, parents);
  if (linkScope && round.sweep) await dropLinksOfDeleted(executor, linkScope);
  return {
    added: upserted.inserted,
    updated: upserted.updated,
    unchanged: upserted.unchanged,
    deleted,
    swept,
    sanitized,
    quarantined: quarantined + unsafeIds.length + setAside.length,
  };
}

/**
 * The page's records with their values made safe, and its deletions. An id that is not safe as given cannot be
 * changed without losing the item's identity: its record is quarantined (under the id made safe) and a deletion
 * of it is dropped, since no row can hold it.
 */
function safePage<T extends CrmTableName>(
  page: Pick<SyncPage<T>, 'upserts' | 'deletes' | 'links' | 'setAside'>,
) {
  const records: RecordsByTable[T][] = [];
  const unsafeIds: string[] = [];
  let sanitized = 0;
  for (const record of page.upserts) {
    const safe = makeSafe(record);
    if (safe.value.externalId !== record.externalId || record.externalId.length > MAX_ID_LENGTH)
      unsafeIds.push(safe.value.externalId.slice(0, MAX_ID_LENGTH));
    else {
      records.push(safe.value);
      if (safe.changed) sanitized += 1;
    }
  }
  const deletes = page.deletes.filter(safeId);
  return { records, deletes, links: safeLinks(page.links ?? []), sanitized, unsafeIds };
}

const safeId = (id: string) => makeSafe(id).value === id && id.length <= MAX_ID_LENGTH;

/** Link sets with their labels made safe; a set from an unsafe id, or a link to one, is dropped like a deletion. */
function safeLinks(sets: readonly ItemLinks[]): ItemLinks[] {
  return sets
    .filter((set) => safeId(set.fromId) && safeId(set.toType))
    .map((set) => ({
      ...set,
      links: set.links.filter((link) => safeId(link.toId)).map((link) => makeSafe(link).value),
    }));
}
