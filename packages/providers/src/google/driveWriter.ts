import { type DriveFileWriter } from '@crm-sync/core';
import { guarded } from '../shared/guard';
import { googleApisFor, type GoogleApiOptions } from './client';
import { resumableUpload } from './driveUpload';
import { classifyGoogleError } from './errors';

/**
 * Writes to the user's Drive under `drive.file`: uploads (resumable, driveUpload.ts) and `permissions.create`
 * through the generated client. Sharing sends Drive's notification email (its default), so the person learns of it.
 */
export function createDriveWriter(options: GoogleApiOptions, chunkBytes?: number): DriveFileWriter {
  return {
    upload: (request) => resumableUpload(options, request, chunkBytes),
    share: (request) =>
      guarded('google', 'drive share', classifyGoogleError, async () => {
        const { drive } = googleApisFor(request.accessToken, options);
        try {
          const { data } = await drive.permissions.create({
            fileId: request.fileId,
            requestBody: { type: 'user', role: request.role, emailAddress: request.emailAddress },
            fields: 'id',
          });
          if (!data.id) throw new Error('Drive answered a permission without an id');
          return { kind: 'shared' as const, permissionId: data.id };
        } catch (error) {
          if ((error as { response?: { status?: number } }).response?.status === 404)
            return { kind: 'not_found' as const };
          throw error;
        }
      }),
  };
}
