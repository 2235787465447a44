import { type AttachmentContent, type AttachmentReader, type AttachmentRequest } from '@crm-sync/core';
import { GraphError, ResponseType } from '@microsoft/microsoft-graph-client';
import { guarded } from '../shared/guard';
import { type GraphAccess } from './client';
import { classifyMicrosoftError } from './errors';

/**
 * Attachment content from Graph: `GET /me/messages/{id}/attachments/{id}/$value` answers the file's raw bytes
 * (docs/providers/microsoft.md#attachment-content), streamed through as they arrive. Graph's attachment ids are
 * stable, so the row's id is used as stored. The size is checked by the caller against the row before asking; the
 * response's `Content-Length`, when sent, is the file's exact length (the row's `size` is not: Graph counts more than
 * the bytes), which is what lets connect-api answer a byte range.
 */
export function createGraphAttachmentReader(access: GraphAccess): AttachmentReader {
  return {
    read: (request) =>
      guarded('microsoft', 'attachment content', classifyMicrosoftError, () =>
        readAttachment(access, request).catch(notFoundAs404),
      ),
  };
}

async function readAttachment(access: GraphAccess, request: AttachmentRequest): Promise<AttachmentContent> {
  const path = `/me/messages/${encodeURIComponent(request.messageId)}/attachments/${encodeURIComponent(
    request.attachmentId,
  )}/$value`;
  // RAW: the fetch Response itself, for its Content-Length; the client then leaves the status to us.
  const response = (await access
    .clientFor(request.accessToken)
    .api(path)
    .option('signal', request.signal)
    .responseType(ResponseType.RAW)
    .get()) as Response;
  if (!response.ok) throw await graphErrorOf(response);
  if (!response.body) return { kind: 'content', body: new Blob([]).stream(), size: 0 };
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  return {
    kind: 'content',
    body: response.body,
    size: Number.isSafeInteger(length) && length >= 0 ? length : null,
  };
}

/** A failed raw response as the GraphError the client throws for the other response types (classified alike). */
async function graphErrorOf(response: Response): Promise<GraphError> {
  const body = (await response.json().catch(() => null)) as {
    error?: { code?: unknown; message?: unknown };
  } | null;
  const message = typeof body?.error?.message === 'string' ? body.error.message : response.statusText;
  const error = new GraphError(response.status, message);
  error.code = typeof body?.error?.code === 'string' ? body.error.code : null;
  error.headers = response.headers;
  return error;
}

function notFoundAs404(error: unknown): AttachmentContent {
  if (error instanceof GraphError && error.statusCode === 404) return { kind: 'not_found' };
  throw error;
}
