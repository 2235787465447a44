import { type RequestAuth, type StoredItem } from '../../core/types';
import { googleError } from '../errors';
import { hasAnyScope } from '../scopes';
import { type DriveFileData } from './generate';

const API = 'https://www.googleapis.com/auth/';
export const DRIVE_FILE = `${API}drive.file`;
const FULL = [`${API}drive`];
const READ_ALL = [...FULL, `${API}drive.readonly`];

/** Any Drive scope lets a token call the API (what it then sees depends on the scope). */
export const canRead = (auth: RequestAuth) => hasAnyScope(auth, [...READ_ALL, DRIVE_FILE]);
/** Creating files and sharing need `drive` or `drive.file`; `drive.readonly` is read-only. */
export const canWrite = (auth: RequestAuth) => hasAnyScope(auth, [...FULL, DRIVE_FILE]);

/**
 * Whether the token's app may see the file: with `drive` or `drive.readonly` every file of the user; with `drive.file`
 * only files the app created or the user opened with it / picked for it (docs/providers/google.md#drive-access-under-drivefile).
 */
export function visible(auth: RequestAuth, file: StoredItem<DriveFileData> | undefined): boolean {
  if (!file) return false;
  return hasAnyScope(auth, READ_ALL) || file.data.apps.includes(auth.clientId);
}

/** A file the token cannot see is answered exactly like a file that does not exist (Drive's handle-errors guide). */
export const fileNotFound = (fileId: string) =>
  googleError(404, `File not found: ${fileId}.`, {
    domain: 'global',
    reason: 'notFound',
    location: 'fileId',
    locationType: 'parameter',
  });

/** Docs Editors files have no bytes to download; they are exported instead (guides/manage-downloads). */
export const notDownloadable = () =>
  googleError(403, 'Only files with binary content can be downloaded. Use Export with Docs Editors files.', {
    domain: 'global',
    reason: 'fileNotDownloadable',
    location: 'alt',
    locationType: 'parameter',
  });

export const requiredParameter = (name: string) =>
  googleError(400, `Required parameter: ${name}`, {
    domain: 'global',
    reason: 'required',
    location: name,
    locationType: 'parameter',
  });

/** Drive's answer to an invalid parameter value; for a page token it did not issue, docs/providers/google.md#drive-changes. */
export const invalidValue = (name: string) =>
  googleError(400, 'Invalid Value', {
    domain: 'global',
    reason: 'invalid',
    location: name,
    locationType: 'parameter',
  });
