import { type DriveContent, type DriveContentRequest, type DriveFileContentReader } from '@crm-sync/core';
import { type GoogleApiOptions } from './client';
import { GOOGLE_ENDPOINTS } from './descriptor';
import { classifyDriveResponse, driveFailure } from './driveHttp';

/**
 * Drive file content, streamed: `files.get?alt=media` with the caller's `Range` passed on, so Drive answers the
 * range itself (206, or 416 past the end: guides/manage-downloads). Plain fetch rather than the generated client:
 * gaxios reads a response into memory unless asked for a Node stream, and the body must flow through unread here
 * (bounded memory, docs/drive.md#content). The same host and path the client uses (www.googleapis.com/drive/v3).
 */
export function createDriveContentReader(options: GoogleApiOptions): DriveFileContentReader {
  const root = options.endpoints?.apiRootUrl ?? GOOGLE_ENDPOINTS.apiRootUrl;
  const send = options.fetch ?? fetch;
  return {
    async read(request: DriveContentRequest): Promise<DriveContent> {
      const url = new URL(`drive/v3/files/${encodeURIComponent(request.fileId)}`, root);
      url.searchParams.set('alt', 'media');
      let response: Response;
      try {
        response = await send(url, {
          headers: {
            authorization: `Bearer ${request.accessToken}`,
            ...(request.range ? { range: request.range } : {}),
          },
          signal: request.signal,
        });
      } catch {
        throw driveFailure({ kind: 'transient', reason: 'network' });
      }
      if (response.status === 200 || response.status === 206) {
        const length = Number(response.headers.get('content-length'));
        return {
          kind: 'content',
          status: response.status,
          body: response.body ?? new Blob([]).stream(),
          contentType: response.headers.get('content-type'),
          length: Number.isSafeInteger(length) && response.headers.has('content-length') ? length : null,
          contentRange: response.headers.get('content-range'),
        };
      }
      await response.body?.cancel();
      if (response.status === 404) return { kind: 'not_found' };
      if (response.status === 416)
        return { kind: 'unsatisfiable', contentRange: response.headers.get('content-range') };
      throw driveFailure(classifyDriveResponse(response));
    },
  };
}
