import type { EmailAttachmentRecord, EmailRecord } from '@crm-sync/core';
// Type-only: the generated typings describe the wire shapes; nothing of this module runs here.
import type { gmail_v1 } from 'googleapis/build/src/apis/gmail';
import { capBody, type MailBodyOptions } from '../shared/mailBody';
import { parseAddressList } from './addresses';
import { parseMime, type ParsedMime } from './rawMime';

/**
 * A Gmail message fetched as `format=raw` mapped onto a CRM record. The raw RFC 5322 text is parsed by postal-mime
 * (a maintained MIME parser: nested multiparts, quoted-printable and base64, charsets, RFC 2047 encoded words), not
 * by hand, and not from `format=full`, whose handling of a part's charset Google does not document
 * (docs/providers/google.md#gmail-message-content).
 */
export async function mapRawMessage(
  message: gmail_v1.Schema$Message,
  body: MailBodyOptions,
): Promise<EmailRecord> {
  if (!message.id) throw new Error('Google message without an id');
  if (typeof message.raw !== 'string') throw new Error('Google message without raw content');
  const parsed = await parseMime(Buffer.from(message.raw, 'base64url'));
  const text = capBody(parsed.text, body.maxBytes);
  const html = capBody(parsed.html, body.maxBytes);
  const header = (name: string) => parsed.headers.find((h) => h.key === name)?.value ?? null;
  return {
    externalId: message.id,
    threadId: nonEmpty(message.threadId),
    fromAddress: parseAddressList(header('from'))[0] ?? null,
    toAddresses: parseAddressList(header('to')),
    ccAddresses: parseAddressList(header('cc')),
    // Gmail keeps the Bcc header in the sender's copy only.
    bccAddresses: parseAddressList(header('bcc')),
    subject: nonEmpty(parsed.subject),
    sentAt: sentAt(message, parsed),
    labels: message.labelIds ?? [],
    snippet: nonEmpty(message.snippet),
    bodyText: text.text,
    bodyHtml: html.text,
    // Gmail does not tell the new text from the quoted one.
    uniqueBody: null,
    bodyTruncated: text.truncated || html.truncated,
    messageId: messageIds(parsed.messageId)[0] ?? null,
    inReplyTo: messageIds(parsed.inReplyTo)[0] ?? null,
    references: messageIds(parsed.references),
    // Gmail labels SENT what the account sent (docs/providers/google.md#gmail-message-content).
    direction: message.labelIds?.includes('SENT') ? 'sent' : 'received',
    attachments: parsed.attachments.map(attachmentOf),
  };
}

function nonEmpty(value: string | null | undefined): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** internalDate (epoch ms as a string) is when Gmail accepted the message; the Date header is the sender's claim. */
function sentAt(message: gmail_v1.Schema$Message, parsed: ParsedMime): Date | null {
  const internal = Number(message.internalDate);
  if (message.internalDate && Number.isFinite(internal)) return new Date(internal);
  const claimed = parsed.date ? Date.parse(parsed.date) : Number.NaN;
  return Number.isNaN(claimed) ? null : new Date(claimed);
}

/** `msg-id`s (RFC 5322 §3.6.4: `<left@right>`, separated by whitespace or comments) in header order. */
function messageIds(value: string | undefined): string[] {
  return value ? (value.match(/<[^<>\s]+>/g) ?? []) : [];
}

/**
 * Gmail's attachment ids are short-lived (a new one on every fetch: docs/providers/google.md#gmail-message-content),
 * so they cannot key a row. A message never changes its content, so the attachment's place among the message's
 * files (1-based, document order) is stable and names it within the message.
 */
function attachmentOf(attachment: ParsedMime['attachments'][number], index: number): EmailAttachmentRecord {
  return {
    attachmentId: String(index + 1),
    name: nonEmpty(attachment.filename),
    contentType: nonEmpty(attachment.mimeType),
    size: attachment.size,
    isInline: attachment.disposition === 'inline' || attachment.related === true,
    contentId: attachment.contentId ? attachment.contentId.replace(/^<|>$/g, '') : null,
  };
}
