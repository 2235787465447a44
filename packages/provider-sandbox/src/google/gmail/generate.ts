import { mix, pick } from '../../core/random';
import { type Account, type ResourceGenerator } from '../../core/types';
import { hexIds, itemTime, num, person, str, TOPICS } from '../data';

/** A file carried by a message: an attachment, or an inline image the HTML part shows by `cid:`. */
export interface GmailFile {
  filename: string;
  mimeType: string;
  size: number;
}

export interface ForwardedMessage {
  subject: string;
  disposition: 'inline' | 'attachment';
  files: GmailFile[];
}

export interface GmailMessageData {
  /** The id of the thread's first message, as Gmail does. */
  threadId: string;
  labelIds: string[];
  from: string;
  to: string;
  subject: string;
  body: string;
  internalDate: number;
  /** `Message-ID` header value. */
  messageId: string;
  /** `Message-ID`s of the earlier messages of the thread, oldest first (`References`; the last is `In-Reply-To`). */
  references: string[];
  /** Whether a text/html alternative goes with the text/plain body. */
  html: boolean;
  inlineImage?: GmailFile;
  attachments: GmailFile[];
  /**
   * The charset the text/plain part is sent in, quoted-printable (control API only; generated mail is UTF-8). Only
   * ISO-8859-1 is offered: what a mail client still sends Western text in.
   */
  textCharset?: 'ISO-8859-1';
  /**
   * A message carried as a `message/rfc822` part between the body and the attachments (control API only): shown
   * in place (`inline`, as a forwarded message) or as a file (`attachment`); it holds a text body and its own files.
   */
  forwarded?: ForwardedMessage;
  /** The labels the last control-API edit added and removed (history's labelsAdded / labelsRemoved). */
  labelChange?: { added: string[]; removed: string[] };
}

const ids = hexIds(21);
/** At most this many messages in one generated thread. */
const THREAD_LIMIT = 6;

const messageIdOf = (account: Account, ordinal: number) =>
  `<${ids.idFor(account, ordinal)}@sandbox.mail.example>`;
/** About one message in three answers the one before it. */
const isReply = (account: Account, ordinal: number) =>
  ordinal > 0 && mix(account.seed, ordinal + 31) % 3 === 0;

/**
 * The ordinal of the first message of the thread `ordinal` belongs to. A reply joins the thread of the message
 * before it unless that thread is already THREAD_LIMIT long, when it starts its own; decided walking forward from
 * the last message that is no reply, so every message of a thread agrees on where it starts.
 */
function threadStart(account: Account, ordinal: number): number {
  let first = ordinal;
  while (isReply(account, first)) first -= 1;
  let start = first;
  for (let next = first + 1; next <= ordinal; next += 1) if (next - start >= THREAD_LIMIT) start = next;
  return start;
}

function filesOf(account: Account, ordinal: number, topic: string) {
  const shape = mix(account.seed, ordinal + 41);
  const slug = topic.toLowerCase().replace(/[^a-z]+/g, '-');
  const attachments: GmailFile[] = [];
  if (shape % 4 === 1 || shape % 8 === 5)
    attachments.push({
      filename: `${slug}-${ordinal}.pdf`,
      mimeType: 'application/pdf',
      size: 2048 + (shape % 30_000),
    });
  if (shape % 8 === 5)
    attachments.push({ filename: `notes-${ordinal}.txt`, mimeType: 'text/plain', size: 200 + (shape % 900) });
  const inlineImage =
    shape % 4 === 3 ? { filename: 'logo.png', mimeType: 'image/png', size: 512 + (shape % 4096) } : undefined;
  // Most mail is sent as text plus HTML; one message in eight as plain text only.
  return { html: shape % 8 !== 0, attachments, ...(inlineImage ? { inlineImage } : {}) };
}

/** A file given to the control API: name, type and size, checked. */
function fileOf(value: unknown): GmailFile {
  const file = value as Partial<GmailFile> | null;
  if (
    typeof file?.filename !== 'string' ||
    typeof file.mimeType !== 'string' ||
    typeof file.size !== 'number' ||
    !Number.isInteger(file.size) ||
    file.size < 0
  )
    throw new Error('a Gmail file needs filename, mimeType and a whole size');
  return { filename: file.filename, mimeType: file.mimeType, size: file.size };
}

function forwardedOf(value: unknown): ForwardedMessage {
  const forwarded = value as Partial<ForwardedMessage> | null;
  if (
    typeof forwarded?.subject !== 'string' ||
    (forwarded.disposition !== 'inline' && forwarded.disposition !== 'attachment') ||
    !Array.isArray(forwarded.files)
  )
    throw new Error('a forwarded message needs a subject, an inline or attachment disposition and files');
  return {
    subject: forwarded.subject,
    disposition: forwarded.disposition,
    files: forwarded.files.map(fileOf),
  };
}

function labelDiff(before: string[], after: string[]) {
  return {
    added: after.filter((l) => !before.includes(l)),
    removed: before.filter((l) => !after.includes(l)),
  };
}

/**
 * Deterministic Gmail messages: a pure function of (account seed, ordinal). Replies share the thread id of the
 * thread's first message and carry `In-Reply-To` / `References` (RFC 5322 §3.6.4).
 */
export const gmailMessages: ResourceGenerator<GmailMessageData> = {
  provider: 'google',
  resource: 'messages',
  ...ids,
  make(account, ordinal, size) {
    const start = threadStart(account, ordinal);
    const sender = person(account.seed, ordinal);
    const topic = pick(TOPICS, mix(account.seed, start));
    const unread = mix(account.seed, ordinal + 7) % 4 === 0;
    const references: string[] = [];
    for (let earlier = start; earlier < ordinal; earlier += 1) references.push(messageIdOf(account, earlier));
    return {
      threadId: ids.idFor(account, start),
      labelIds: ['INBOX', ...(unread ? ['UNREAD'] : []), 'CATEGORY_PERSONAL'],
      from: `${sender.first} ${sender.last} <${sender.email}>`,
      to: account.email,
      subject: `${start < ordinal ? 'Re: ' : ''}${topic} #${start}`,
      body: `Hello,\n\nabout ${topic.toLowerCase()} (${ordinal}).\n\n${sender.first}`,
      internalDate: itemTime(account, ordinal, size, 60_000),
      messageId: messageIdOf(account, ordinal),
      references,
      ...filesOf(account, ordinal, topic),
    };
  },
  apply(item, fields) {
    const labelIds = Array.isArray(fields.labelIds) ? fields.labelIds.map(String) : item.labelIds;
    const inlineImage = fields.inlineImage === undefined ? item.inlineImage : fileOf(fields.inlineImage);
    return {
      ...item,
      ...(fields.textCharset === 'ISO-8859-1' && { textCharset: 'ISO-8859-1' as const }),
      ...(typeof fields.html === 'boolean' && { html: fields.html }),
      ...(Array.isArray(fields.attachments) && { attachments: fields.attachments.map(fileOf) }),
      ...(inlineImage && { inlineImage }),
      ...(fields.forwarded !== undefined && { forwarded: forwardedOf(fields.forwarded) }),
      threadId: str(fields, 'threadId', item.threadId),
      labelIds,
      from: str(fields, 'from', item.from),
      to: str(fields, 'to', item.to),
      subject: str(fields, 'subject', item.subject),
      body: str(fields, 'body', item.body),
      internalDate: num(fields, 'internalDate', item.internalDate),
      labelChange: labelDiff(item.labelIds, labelIds),
    };
  },
};
