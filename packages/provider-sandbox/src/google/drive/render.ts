import { type Account, type StoredItem } from '../../core/types';
import { contentSize, type DriveFileData, type DrivePermission } from './generate';

const iso = (ms: number) => new Date(ms).toISOString();

export const renderPermission = (p: DrivePermission) => ({ kind: 'drive#permission', ...p });

/** A v3 File resource with the fields the sandbox keeps (https://developers.google.com/workspace/drive/api/reference/rest/v3/files). */
export function renderFile(base: string, account: Account, item: StoredItem<DriveFileData>) {
  const f = item.data;
  const native = f.mimeType.startsWith('application/vnd.google-apps.');
  return {
    kind: 'drive#file',
    id: item.id,
    name: f.name,
    mimeType: f.mimeType,
    trashed: f.trashed,
    explicitlyTrashed: f.trashed,
    createdTime: iso(f.created),
    modifiedTime: iso(f.modified),
    version: String(item.seq),
    // Drive leaves `size` out for Docs Editors files (files#File.size).
    ...(native ? {} : { size: String(contentSize(f.content)) }),
    webViewLink: `${base}/drive-sandbox/file/d/${item.id}/view`,
    owners: [
      {
        kind: 'drive#user',
        displayName: account.email,
        emailAddress: f.ownerEmail,
        me: f.ownerEmail === account.email,
      },
    ],
    permissions: f.permissions.map(renderPermission),
  };
}

/** What Drive v3 answers when no `fields` is given: only these four (guides/fields-parameter). */
export const DEFAULT_FILE_FIELDS = ['kind', 'id', 'name', 'mimeType'] as const;

export function defaultFields(file: Record<string, unknown>) {
  return Object.fromEntries(DEFAULT_FILE_FIELDS.map((k) => [k, file[k]]));
}
