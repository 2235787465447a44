import { type Dataset, type ResourceGenerator, type StoredItem } from '../../core/types';
import { INBOX_FOLDER_ID } from './generate';

/**
 * Each mailbox's folder tree: the well-known folders Outlook creates and two user folders (one top-level, one under
 * the inbox), so a client has to walk `childFolders` or use mailFolders delta to find them. Folders are a dataset of
 * their own per account (`mailFolders` in the control API): a test adds, renames (`displayName`), moves
 * (`parentFolderId`) or deletes one, and mailFolders delta reports it. Ids look like Outlook's (`AQMkAD…`);
 * well-known names work as ids in requests (https://learn.microsoft.com/graph/api/resources/mailfolder,
 * "Well-known folder names").
 */
export interface MailFolderData {
  displayName: string;
  parentFolderId: string;
  isHidden: boolean;
}

export interface MailFolder extends MailFolderData {
  id: string;
  childFolderCount: number;
}

export const ROOT_FOLDER_ID = 'AQMkADAwATNiZmYAZC1msgfolderroot';
const PREFIX = 'AQMkADAwATNiZmYAZC1';
const id = (tag: string) => `${PREFIX}${tag}`;

/** Well-known name → folder; the names Graph documents (lower case, matched case-insensitively). */
const WELL_KNOWN: Record<string, { id: string; displayName: string }> = {
  inbox: { id: INBOX_FOLDER_ID, displayName: 'Inbox' },
  sentitems: { id: id('sentitems'), displayName: 'Sent Items' },
  archive: { id: id('archive'), displayName: 'Archive' },
  drafts: { id: id('drafts'), displayName: 'Drafts' },
  deleteditems: { id: id('deleteditems'), displayName: 'Deleted Items' },
  junkemail: { id: id('junkemail'), displayName: 'Junk Email' },
};

export const FOLDER_IDS = {
  ...Object.fromEntries(Object.entries(WELL_KNOWN).map(([name, folder]) => [name, folder.id])),
  /** User folders: `Clients` at the top, `Acme` under the inbox. */
  clients: id('userClients'),
  acme: id('userAcme'),
} as Record<keyof typeof WELL_KNOWN | 'clients' | 'acme', string>;

/** The tree every mailbox starts with, in ordinal order. */
const BASE: ReadonlyArray<MailFolderData & { id: string }> = [
  ...Object.values(WELL_KNOWN).map((f) => ({ ...f, parentFolderId: ROOT_FOLDER_ID, isHidden: false })),
  { id: FOLDER_IDS.clients, displayName: 'Clients', parentFolderId: ROOT_FOLDER_ID, isHidden: false },
  { id: FOLDER_IDS.acme, displayName: 'Acme', parentFolderId: INBOX_FOLDER_ID, isHidden: false },
];
/** Folders added later: `AQMkAD…folder<ordinal in base 36>`. */
const ADDED = new RegExp(`^${PREFIX}folder([0-9a-z]+)$`);

const text = (value: unknown, fallback: string) =>
  typeof value === 'string' && value !== '' ? value : fallback;

export const mailFolderGenerator: ResourceGenerator<MailFolderData> = {
  provider: 'microsoft',
  resource: 'mailFolders',
  fixedSize: BASE.length,
  idFor: (_account, ordinal) => BASE[ordinal]?.id ?? id(`folder${ordinal.toString(36)}`),
  ordinalOf(_account, folderId) {
    const base = BASE.findIndex((f) => f.id === folderId);
    if (base !== -1) return base;
    const added = ADDED.exec(folderId);
    const ordinal = added ? parseInt(added[1] as string, 36) : Number.NaN;
    return Number.isInteger(ordinal) && ordinal >= BASE.length ? ordinal : undefined;
  },
  make(_account, ordinal) {
    const base = BASE[ordinal];
    if (base) return { displayName: base.displayName, parentFolderId: base.parentFolderId, isHidden: false };
    return { displayName: `Folder ${ordinal}`, parentFolderId: ROOT_FOLDER_ID, isHidden: false };
  },
  // A folder is renamed (`displayName`) or moved (`parentFolderId`); nothing else of it changes.
  apply: (folder, fields) => ({
    ...folder,
    displayName: text(fields.displayName, folder.displayName),
    parentFolderId: text(fields.parentFolderId, folder.parentFolderId),
  }),
};

/** Every folder of the mailbox, in creation order, with its child count as Graph reports it. */
export function liveFolders(folders: Dataset<MailFolderData>): MailFolder[] {
  const items = folders.page({ limit: Number.MAX_SAFE_INTEGER, order: 'asc' }).items;
  return items.map((item) => withChildCount(item, items));
}

function withChildCount(item: StoredItem<MailFolderData>, all: StoredItem<MailFolderData>[]): MailFolder {
  const childFolderCount = all.filter((f) => f.data.parentFolderId === item.id).length;
  return { id: item.id, ...item.data, childFolderCount };
}

/** A live folder by id or well-known name (case-insensitive, as Graph matches them). */
export function findFolder(folders: Dataset<MailFolderData>, idOrName: string): MailFolder | undefined {
  const wanted = WELL_KNOWN[idOrName.toLowerCase()]?.id ?? idOrName;
  return liveFolders(folders).find((f) => f.id === wanted);
}
