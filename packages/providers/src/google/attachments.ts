import { type AttachmentContent, type AttachmentReader, type AttachmentRequest } from '@crm-sync/core';
import { type gmail_v1 } from 'googleapis/build/src/apis/gmail';
import PostalMime from 'postal-mime';
import { guarded } from '../shared/guard';
import { googleApisFor, type GoogleApiOptions } from './client';
import { classifyGoogleError } from './errors';

type Part = gmail_v1.Schema$MessagePart;

/**
 * Attachment content from Gmail. A row names its file by place (1-based, document order, as postal-mime lists a
 * message's files: google/mailMessage.ts), because Gmail's attachment ids change on every fetch
 * (docs/providers/google.md#gmail-message-content). So the message's structure is read again (`format=full`), the
 * file at that place found with postal-mime's rule, and its current id fetched with `users.messages.attachments.get`,
 * which answers JSON with the bytes base64url-encoded (docs/providers/google.md#attachment-content): the file is
 * held once, decoded, and only when its size is under the cap. A message holding another message is read whole
 * instead (fromRawMessage).
 */
export function createGmailAttachmentReader(options: GoogleApiOptions): AttachmentReader {
  return {
    read: (request) =>
      guarded('google', 'attachment content', classifyGoogleError, () =>
        readAttachment(options, request).catch(notFoundAs404),
      ),
  };
}

async function readAttachment(
  options: GoogleApiOptions,
  request: AttachmentRequest,
): Promise<AttachmentContent> {
  const place = Number(request.attachmentId);
  if (!Number.isInteger(place) || place < 1) return { kind: 'not_found' };
  const { gmail } = googleApisFor(request.accessToken, options);
  const { data: message } = await gmail.users.messages.get(
    { userId: 'me', id: request.messageId, format: 'full', fields: 'payload,sizeEstimate' },
    { signal: request.signal },
  );
  if (message.payload && holdsMessages(message.payload))
    return fromRawMessage(gmail, request, place, message.sizeEstimate ?? null);
  const part = message.payload ? filesOf(message.payload)[place - 1] : undefined;
  if (part === undefined) return { kind: 'not_found' };
  const size = part.body?.size ?? null;
  if (size !== null && size > request.maxBytes) return { kind: 'too_large', size };
  let data = part.body?.data ?? null;
  if (data === null && part.body?.attachmentId) {
    const { data: attachment } = await gmail.users.messages.attachments.get(
      { userId: 'me', messageId: request.messageId, id: part.body.attachmentId },
      { signal: request.signal },
    );
    data = attachment.data ?? '';
  }
  const bytes = Buffer.from(data ?? '', 'base64url');
  if (bytes.length > request.maxBytes) return { kind: 'too_large', size: bytes.length };
  return { kind: 'content', body: new Blob([bytes]).stream(), size: bytes.length };
}

/**
 * A message with a `message/*` part (a forwarded message, a bounce report) or a digest: postal-mime opens an inline
 * `message/rfc822` part and lists the files inside it in its place, or keeps it as one file (marked `attachment`,
 * or inside a report), and how Gmail's `full` shows such a part is not documented. So the places are counted on the
 * raw message, by postal-mime itself, exactly as the sync counted them (google/rawMime.ts). The whole message is
 * held: one larger than the cap is refused (`too_large`) before it is fetched.
 */
async function fromRawMessage(
  gmail: gmail_v1.Gmail,
  request: AttachmentRequest,
  place: number,
  sizeEstimate: number | null,
): Promise<AttachmentContent> {
  if (sizeEstimate !== null && sizeEstimate > request.maxBytes)
    return { kind: 'too_large', size: sizeEstimate };
  const { data } = await gmail.users.messages.get(
    { userId: 'me', id: request.messageId, format: 'raw', fields: 'raw' },
    { signal: request.signal },
  );
  const raw = Buffer.from(data.raw ?? '', 'base64url');
  if (raw.length > request.maxBytes) return { kind: 'too_large', size: raw.length };
  const file = (await PostalMime.parse(raw)).attachments[place - 1];
  if (file === undefined) return { kind: 'not_found' };
  const { content } = file;
  const bytes =
    typeof content === 'string'
      ? Buffer.from(content)
      : content instanceof Uint8Array
        ? Buffer.from(content.buffer, content.byteOffset, content.byteLength)
        : Buffer.from(content);
  return { kind: 'content', body: new Blob([bytes]).stream(), size: bytes.length };
}

const holdsMessages = (part: Part): boolean =>
  part.mimeType?.startsWith('message/') === true ||
  part.mimeType === 'multipart/digest' ||
  (part.parts ?? []).some(holdsMessages);

/**
 * The message's files in document order, by postal-mime's rule (PostalMime.collectNode): every leaf part but the
 * text/plain and text/html ones not marked `attachment`. Only for messages without `message/*` parts (see
 * fromRawMessage for those).
 */
export function filesOf(payload: Part): Part[] {
  const files: Part[] = [];
  const walk = (part: Part) => {
    if (part.parts && part.parts.length > 0) {
      for (const child of part.parts) walk(child);
      return;
    }
    if (part.mimeType?.startsWith('multipart/')) return;
    const disposition = header(part, 'content-disposition')?.split(';')[0]?.trim().toLowerCase();
    const text = part.mimeType === 'text/plain' || part.mimeType === 'text/html';
    if (!text || disposition === 'attachment') files.push(part);
  };
  walk(payload);
  return files;
}

const header = (part: Part, name: string) =>
  part.headers?.find((h) => h.name?.toLowerCase() === name)?.value ?? undefined;

/** A message (or attachment) Gmail no longer has: an answer, not a failure. */
function notFoundAs404(error: unknown): AttachmentContent {
  const status = (error as { response?: { status?: unknown } } | null)?.response?.status;
  if (status === 404) return { kind: 'not_found' };
  throw error;
}
