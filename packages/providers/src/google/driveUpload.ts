import { ClassifiedProviderError, type DriveUploadRequest } from '@crm-sync/core';
import { type GoogleApiOptions } from './client';
import { GOOGLE_ENDPOINTS } from './descriptor';
import { classifyDriveResponse, driveFailure } from './driveHttp';

/**
 * Drive's chunks must be multiples of 256 KiB except the last (guides/manage-uploads#resumable); 8 MiB keeps the
 * number of requests low while bounding what one upload holds in memory to about one chunk.
 */
export const DRIVE_UPLOAD_CHUNK_BYTES = 32 * 256 * 1024;
/** Faults one upload resumes from before it gives up (each after asking Drive where it stands). */
const MAX_RESUMES = 5;

/**
 * A resumable upload (guides/manage-uploads#resumable), with plain fetch: the generated client uploads media in one
 * multipart request and cannot resume. The session URI comes from `POST ?uploadType=resumable`; each chunk is a PUT
 * with `Content-Range`, answered 308 (with `Range: bytes=0-n` once anything arrived) until the last, answered 200
 * with the file. After a fault (network error, 5xx) the upload asks Drive what it has (`Content-Range: bytes
 * * /size`, empty body) and sends the rest of the chunk from there. Every request carries the token, as the official
 * clients send theirs (their resumable uploads go through the authorized transport); a 401 renews it and the same
 * request goes again once (docs/providers/google.md#drive-uploads-and-sharing).
 */
export async function resumableUpload(
  options: GoogleApiOptions,
  request: DriveUploadRequest,
  chunkBytes = DRIVE_UPLOAD_CHUNK_BYTES,
): Promise<{ fileId: string; resumes: number }> {
  const send = options.fetch ?? fetch;
  const root = options.endpoints?.apiRootUrl ?? GOOGLE_ENDPOINTS.apiRootUrl;
  let token = request.accessToken;
  /** A request sent with the current token; refused (401), sent once more with a renewed one. */
  const authorized = async (attempt: (authorization: string) => Promise<Response>) => {
    const answer = await attempt(`Bearer ${token}`);
    if (answer.status !== 401) return answer;
    await answer.body?.cancel();
    token = await request.renewToken(token);
    return attempt(`Bearer ${token}`);
  };
  const started = await call(() =>
    authorized((authorization) =>
      send(new URL('upload/drive/v3/files?uploadType=resumable', root), {
        method: 'POST',
        headers: {
          authorization,
          'content-type': 'application/json; charset=UTF-8',
          'x-upload-content-type': request.mimeType,
          'x-upload-content-length': String(request.size),
        },
        body: JSON.stringify({ name: request.name, mimeType: request.mimeType }),
        signal: request.signal,
      }),
    ),
  );
  await started.body?.cancel();
  const session = started.headers.get('location');
  if (!started.ok || !session) throw driveFailure(classifyDriveResponse(started));

  let resumes = 0;
  let offset = 0;
  let done: Response | undefined;
  const put = (body: Uint8Array, range: string) =>
    authorized((authorization) =>
      send(session, {
        method: 'PUT',
        headers: { authorization, 'content-range': range },
        body,
        signal: request.signal,
      }),
    );
  for await (const chunk of rechunk(request.body, chunkBytes, request.size)) {
    let sent = 0;
    while (sent < chunk.length) {
      const part = chunk.subarray(sent);
      const start = offset + sent;
      const answer = await put(part, `bytes ${start}-${start + part.length - 1}/${request.size}`).catch(
        networkFault,
      );
      if (answer && (answer.status === 308 || answer.ok)) {
        if (answer.ok) done = answer;
        else await answer.body?.cancel();
        sent = answer.ok ? chunk.length : receivedOf(answer) - offset;
        continue;
      }
      if (answer && answer.status < 500) {
        await answer.body?.cancel();
        throw driveFailure(classifyDriveResponse(answer));
      }
      await answer?.body?.cancel();
      if (++resumes > MAX_RESUMES) throw driveFailure({ kind: 'transient', reason: 'upload kept failing' });
      // Where Drive stands after the fault: only what it confirms counts as sent.
      const status = await put(new Uint8Array(0), `bytes */${request.size}`).catch(networkFault);
      if (status?.ok) {
        done = status;
        sent = chunk.length;
      } else if (status?.status === 308) {
        await status.body?.cancel();
        sent = Math.max(0, receivedOf(status) - offset);
      } else await status?.body?.cancel();
    }
    offset += chunk.length;
  }
  // An empty file has no chunk: asking where the upload stands completes it.
  if (!done && request.size === 0) done = await call(() => put(new Uint8Array(0), 'bytes */0'));
  if (!done?.ok) throw driveFailure({ kind: 'permanent', reason: 'upload ended without a file' });
  const file = (await done.json()) as { id?: unknown };
  if (typeof file.id !== 'string')
    throw driveFailure({ kind: 'permanent', reason: 'upload answered no file id' });
  return { fileId: file.id, resumes };
}

/** Bytes Drive confirms, from a 308's `Range: bytes=0-n` (none: nothing yet). */
function receivedOf(response: Response): number {
  const match = /^bytes=0-(\d+)$/.exec(response.headers.get('range') ?? '');
  return match ? Number(match[1]) + 1 : 0;
}

/** The body in chunks of exactly `size` bytes (the last shorter); fails if the body is not `total` bytes long. */
async function* rechunk(
  body: AsyncIterable<Uint8Array>,
  size: number,
  total: number,
): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let held = 0;
  let seen = 0;
  for await (const piece of body) {
    seen += piece.length;
    if (seen > total) throw driveFailure({ kind: 'permanent', reason: 'body longer than its declared size' });
    pending.push(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
    held += piece.length;
    while (held >= size) {
      const all = Buffer.concat(pending);
      yield all.subarray(0, size);
      pending = [all.subarray(size)];
      held -= size;
    }
  }
  if (seen !== total)
    throw driveFailure({ kind: 'permanent', reason: 'body shorter than its declared size' });
  if (held > 0) yield Buffer.concat(pending);
}

/** A request that did not get an answer is a network fault; a token that could not be renewed says why itself. */
function networkFault(error: unknown): null {
  if (error instanceof ClassifiedProviderError) throw error;
  return null;
}

async function call(request: () => Promise<Response>): Promise<Response> {
  try {
    return await request();
  } catch (error) {
    networkFault(error);
    throw driveFailure({ kind: 'transient', reason: 'network' });
  }
}
