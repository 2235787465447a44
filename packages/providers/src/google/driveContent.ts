import { type DriveContent, type DriveContentRequest, type DriveFileContentReader } from '@crm-sync/core';
import { request as undiciRequest, type Dispatcher } from 'undici';
import { type GoogleApiOptions } from './client';
import { GOOGLE_DESCRIPTOR, GOOGLE_ENDPOINTS } from './descriptor';
import { classifyDriveStatus, driveFailure } from './driveHttp';

/**
 * Drive file content, streamed: `files.get?alt=media` with the caller's `Range` passed on, so Drive answers the
 * range itself (206, or 416 past the end: guides/manage-downloads). Not the generated client: gaxios reads a response
 * into memory unless asked for a Node stream, and the body must flow through unread here (bounded memory,
 * docs/drive.md#content). undici's `request` rather than fetch: its body is a Node stream that connect-api pipes
 * on as it is, where fetch's web stream had to be converted chunk by chunk (`Readable.fromWeb`), which cost about a
 * third more CPU per byte relayed (bench/README.md, bench:drive). The same host and path the client uses
 * (www.googleapis.com/drive/v3).
 */
export function createDriveContentReader(options: GoogleApiOptions): DriveFileContentReader {
  const root = options.endpoints?.apiRootUrl ?? GOOGLE_ENDPOINTS.apiRootUrl;
  return {
    async read(request: DriveContentRequest): Promise<DriveContent> {
      const url = new URL(`drive/v3/files/${encodeURIComponent(request.fileId)}`, root);
      url.searchParams.set('alt', 'media');
      let response: Dispatcher.ResponseData;
      try {
        response = await undiciRequest(url, {
          headers: {
            authorization: `Bearer ${request.accessToken}`,
            ...(request.range ? { range: request.range } : {}),
          },
          signal: request.signal,
        });
      } catch {
        throw driveFailure({ kind: 'transient', reason: 'network' });
      }
      const header = (name: string) => {
        const value = response.headers[name];
        return typeof value === 'string' ? value : null;
      };
      const status = response.statusCode;
      if (status === 200 || status === 206) {
        const length = Number(header('content-length'));
        return {
          kind: 'content',
          status,
          body: response.body,
          contentType: header('content-type'),
          length: Number.isSafeInteger(length) && header('content-length') !== null ? length : null,
          contentRange: header('content-range'),
        };
      }
      // Read off and dropped (error bodies are small); destroying it unread would emit an abort error no one handles.
      await response.body.dump().catch(() => undefined);
      if (status === 404) return { kind: 'not_found' };
      if (status === 416) return { kind: 'unsatisfiable', contentRange: header('content-range') };
      throw driveFailure(classifyDriveStatus(status, header(GOOGLE_DESCRIPTOR.retryAfterHeader)));
    },
  };
}
