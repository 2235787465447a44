import { type ResourceSyncer, type SyncPage, type SyncRequest } from '@crm-sync/core';
import { z } from 'zod';
import { guarded } from '../../shared/guard';
import { idPageOf } from '../../shared/idPage';
import { googleApisFor, type GoogleApiOptions, type GoogleApis } from '../client';
import { DRIVE_FILE_FIELDS, mapDriveFile } from '../driveMap';
import { classifyGoogleError } from '../errors';
import { unreadable } from './continuation';

/**
 * Where a round is. A full round takes the changes feed's start page token before it lists anything (so changes made
 * while it pages are read by the next round), then lists the files the app may see (`files.list`, `trashed = false`):
 * under `drive.file` that is what the user selected for the CRM or the CRM created. An incremental round follows
 * the changes feed from the stored token (docs/providers/google.md#drive-changes).
 */
const continuationSchema = z.discriminatedUnion('phase', [
  z.strictObject({ phase: z.literal('list'), start: z.string().min(1), pageToken: z.string().nullable() }),
  z.strictObject({ phase: z.literal('changes'), pageToken: z.string().min(1) }),
]);
type Continuation = z.infer<typeof continuationSchema>;

export interface DriveSyncOptions {
  pageSize: number;
}

/** Google Drive (`files` → `drive_files`): metadata only, content is never stored (docs/drive.md). */
export function createDriveFilesSyncer(
  api: GoogleApiOptions,
  options: DriveSyncOptions,
): ResourceSyncer<'drive_files'> {
  return {
    resource: 'files',
    table: 'drive_files',
    fetchPage: (request) =>
      guarded('google', 'drive sync', classifyGoogleError, async () => {
        const apis = googleApisFor(request.accessToken, api, request.tally);
        return readPage(apis, await where(apis, request), options);
      }),
    // The id pass is the full round's listing: files.list is already the cheapest listing Drive has.
    listIds: (request) =>
      guarded('google', 'drive id pass', classifyGoogleError, async () => {
        const apis = googleApisFor(request.accessToken, api, request.tally);
        const at = request.continuation
          ? parsed(request.continuation)
          : await where(apis, { ...request, position: { mode: 'full', cursor: null, continuation: null } });
        return idPageOf(await readPage(apis, at, options));
      }),
    // One files.get per id: how a file the user just picked is validated and stored (docs/drive.md#selecting-files),
    // and how the audit confirms a difference. A file the app may not see (not picked, deleted, access lost) is a
    // 404 under drive.file; it and a trashed one come back in `deletes`.
    fetchByIds: (request) =>
      guarded('google', 'drive files by id', classifyGoogleError, async () => {
        const apis = googleApisFor(request.accessToken, api, request.tally);
        const upserts = [];
        const deletes: string[] = [];
        for (const fileId of request.ids) {
          const file = await apis.drive.files
            .get({ fileId, fields: DRIVE_FILE_FIELDS })
            .then((r) => r.data)
            .catch((error: unknown) => {
              if ((error as { response?: { status?: number } }).response?.status === 404) return null;
              throw error;
            });
          if (file === null || file.trashed) deletes.push(fileId);
          else upserts.push(mapDriveFile(file));
        }
        return { upserts, deletes };
      }),
  };
}

function parsed(value: unknown): Continuation {
  const result = continuationSchema.safeParse(value);
  if (!result.success) throw unreadable('files');
  return result.data;
}

async function where(apis: GoogleApis, request: Pick<SyncRequest, 'position'>): Promise<Continuation> {
  const { mode, cursor, continuation } = request.position;
  if (continuation) return parsed(continuation);
  if (mode === 'incremental' && cursor) return { phase: 'changes', pageToken: cursor };
  const { data } = await apis.drive.changes.getStartPageToken({});
  if (!data.startPageToken) throw new Error('Drive answered no startPageToken');
  return { phase: 'list', start: data.startPageToken, pageToken: null };
}

async function readPage(
  apis: GoogleApis,
  at: Continuation,
  options: DriveSyncOptions,
): Promise<SyncPage<'drive_files'>> {
  if (at.phase === 'list') {
    const { data } = await apis.drive.files.list({
      q: 'trashed = false',
      pageSize: options.pageSize,
      fields: `nextPageToken,files(${DRIVE_FILE_FIELDS})`,
      ...(at.pageToken ? { pageToken: at.pageToken } : {}),
    });
    const upserts = (data.files ?? []).filter((f) => f.trashed !== true).map(mapDriveFile);
    return data.nextPageToken
      ? {
          upserts,
          deletes: [],
          next: { kind: 'more', continuation: { ...at, pageToken: data.nextPageToken } },
        }
      : { upserts, deletes: [], next: { kind: 'caught_up', cursor: at.start } };
  }
  const { data } = await apis.drive.changes.list({
    pageToken: at.pageToken,
    pageSize: options.pageSize,
    includeRemoved: true,
    fields: `nextPageToken,newStartPageToken,changes(fileId,removed,file(${DRIVE_FILE_FIELDS}))`,
  });
  const upserts = [];
  const deletes: string[] = [];
  for (const change of data.changes ?? []) {
    // Removed (deleted, or the app lost access) and trashed files leave the table (docs/drive.md#what-is-kept).
    if (change.removed || !change.file || change.file.trashed) {
      if (change.fileId) deletes.push(change.fileId);
    } else upserts.push(mapDriveFile(change.file));
  }
  if (data.nextPageToken) {
    return {
      upserts,
      deletes,
      next: { kind: 'more', continuation: { phase: 'changes', pageToken: data.nextPageToken } },
    };
  }
  if (!data.newStartPageToken) throw new Error('Drive answered neither nextPageToken nor newStartPageToken');
  return { upserts, deletes, next: { kind: 'caught_up', cursor: data.newStartPageToken } };
}
