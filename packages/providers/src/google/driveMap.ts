import { type DriveFileRecord } from '@crm-sync/core';
// Type-only: the generated typings describe the wire shapes; nothing of the module runs here.
import type { drive_v3 } from 'googleapis/build/src/apis/drive';

/** What the syncer asks Drive for: the record's fields and `trashed`, which turns a file into a deletion. */
export const DRIVE_FILE_FIELDS =
  'id,name,mimeType,size,owners(emailAddress),modifiedTime,webViewLink,trashed';

function instant(value: string | null | undefined): Date | null {
  if (!value) return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : new Date(at);
}

/**
 * A Drive v3 File as a record (https://developers.google.com/workspace/drive/api/reference/rest/v3/files): `size` is
 * an int64 sent as a string and absent for Docs Editors files; owners are users with an address each.
 */
export function mapDriveFile(file: drive_v3.Schema$File): DriveFileRecord {
  if (!file.id) throw new Error('Drive file without an id');
  const size = file.size === undefined || file.size === null ? null : Number(file.size);
  return {
    externalId: file.id,
    name: file.name ?? null,
    mimeType: file.mimeType ?? 'application/octet-stream',
    size: size !== null && Number.isSafeInteger(size) ? size : null,
    ownerEmails: (file.owners ?? []).flatMap((o) => (o.emailAddress ? [o.emailAddress] : [])),
    modifiedAt: instant(file.modifiedTime),
    webViewLink: file.webViewLink ?? null,
  };
}
