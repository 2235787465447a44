import { type AttachmentContent, type AttachmentReader, type AttachmentRequest } from '@crm-sync/core';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { guarded } from '../shared/guard';
import { type GraphAccess } from './client';
import { classifyMicrosoftError } from './errors';

/**
 * Attachment content from Graph: `GET /me/messages/{id}/attachments/{id}/$value` answers the file's raw bytes
 * (docs/providers/microsoft.md#attachment-content), streamed through as they arrive. Graph's attachment ids are
 * stable, so the row's id is used as stored. The size is checked by the caller against the row before asking.
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
  const body = (await access
    .clientFor(request.accessToken)
    .api(path)
    .option('signal', request.signal)
    .getStream()) as ReadableStream<Uint8Array>;
  return { kind: 'content', body, size: null };
}

function notFoundAs404(error: unknown): AttachmentContent {
  if (error instanceof GraphError && error.statusCode === 404) return { kind: 'not_found' };
  throw error;
}
