import { INBOX_FOLDER_ID } from './generate';

/**
 * The mailbox's folder tree, the same for every account: the well-known folders Outlook creates, and two user folders
 * (one top-level, one under the inbox) so a client has to walk `childFolders` or use mailFolders delta to find them.
 * Ids look like Outlook's (`AQMkAD…`); well-known names work as ids in requests
 * (https://learn.microsoft.com/graph/api/resources/mailfolder, "Well-known folder names").
 */
export interface MailFolder {
  id: string;
  displayName: string;
  parentFolderId: string;
  childFolderCount: number;
  isHidden: boolean;
}

const ROOT_ID = 'AQMkADAwATNiZmYAZC1msgfolderroot';
const id = (tag: string) => `AQMkADAwATNiZmYAZC1${tag}`;

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

function tree(): MailFolder[] {
  const folders: MailFolder[] = Object.values(WELL_KNOWN).map((f) => ({
    ...f,
    parentFolderId: ROOT_ID,
    childFolderCount: 0,
    isHidden: false,
  }));
  folders.push(
    {
      id: FOLDER_IDS.clients,
      displayName: 'Clients',
      parentFolderId: ROOT_ID,
      childFolderCount: 0,
      isHidden: false,
    },
    {
      id: FOLDER_IDS.acme,
      displayName: 'Acme',
      parentFolderId: INBOX_FOLDER_ID,
      childFolderCount: 0,
      isHidden: false,
    },
  );
  for (const folder of folders)
    folder.childFolderCount = folders.filter((f) => f.parentFolderId === folder.id).length;
  return folders;
}

export const MAIL_FOLDERS: readonly MailFolder[] = tree();

/** A folder by id or well-known name (case-insensitive, as Graph matches them). */
export function findFolder(idOrName: string): MailFolder | undefined {
  const known = WELL_KNOWN[idOrName.toLowerCase()];
  const wanted = known?.id ?? idOrName;
  return MAIL_FOLDERS.find((f) => f.id === wanted);
}

export const topLevelFolders = (): MailFolder[] => MAIL_FOLDERS.filter((f) => f.parentFolderId === ROOT_ID);
export const childFolders = (parentId: string): MailFolder[] =>
  MAIL_FOLDERS.filter((f) => f.parentFolderId === parentId);
