import { randomBytes } from 'node:crypto';
import { openCursor, sealCursor } from '../../core/cursors';
import { type StoredItem } from '../../core/types';
import { wireHeaderValue } from './headerEncoding';
import { quotedPrintable } from './quotedPrintable';
import { type ForwardedMessage, type GmailFile, type GmailMessageData } from './generate';

// A message's MIME structure (RFC 2045/2046): multipart/mixed for attachments around multipart/related for an inline
// image around multipart/alternative for text plus HTML, each level only when needed. Gmail's `payload` and `raw`
// are two renderings of it (docs/providers/google.md#gmail-mime).

export interface Header {
  name: string;
  value: string;
}

interface Leaf {
  mimeType: string;
  headers: Header[];
  filename: string;
  /**
   * Text parts carry their text (UTF-8, or ISO-8859-1 sent quoted-printable); files only a size (their bytes are
   * made on demand, see `fileBytes`).
   */
  content:
    | { text: string; latin1?: true }
    | { file: GmailFile; partId: string }
    /** A `message/rfc822` part: the message it carries, written out whole (RFC 2046 §5.2.1). */
    | { message: MimeNode; messageHeaders: Header[]; partId: string };
}

interface Multipart {
  mimeType: string;
  headers: Header[];
  boundary: string;
  parts: MimeNode[];
}

export type MimeNode = Leaf | Multipart;

const isMultipart = (node: MimeNode): node is Multipart => 'parts' in node;
const SPECIAL = /[&<>"]/;
const escapeHtml = (text: string) =>
  SPECIAL.test(text) ? text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`) : text;
const contentType = (value: string): Header => ({ name: 'Content-Type', value });

const ATTACHMENT_ID = 'google.gmail.attachmentId';

/**
 * Gmail gives a file a new attachmentId on every fetch of its message (docs/providers/google.md#gmail-message-content),
 * so a client can never keep one. The sandbox's seal the message, the part and a fresh nonce: opaque, unguessable and
 * different each time; any id it issued for that message still reads the part (whether Gmail's old ids expire is
 * _unconfirmed_).
 */
const attachmentIdOf = (messageId: string, partId: string) =>
  sealCursor(ATTACHMENT_ID, { m: messageId, p: partId, n: randomBytes(9).toString('base64url') });

/** The part an attachment id issued for this message names, if it is one. */
function partIdOf(messageId: string, attachmentId: string): string | undefined {
  const sealed = openCursor(ATTACHMENT_ID, attachmentId) as { m?: unknown; p?: unknown } | undefined;
  return sealed?.m === messageId && typeof sealed.p === 'string' ? sealed.p : undefined;
}

/** Deterministic bytes of a generated file (its name repeated): what `raw` and attachments.get serve. */
export const fileBytes = (file: GmailFile) => Buffer.alloc(file.size, file.filename);

function fileLeaf(file: GmailFile, partId: string, contentId: string | undefined): Leaf {
  const disposition = contentId ? 'inline' : 'attachment';
  return {
    mimeType: file.mimeType,
    filename: file.filename,
    headers: [
      contentType(`${file.mimeType}; name="${file.filename}"`),
      { name: 'Content-Disposition', value: `${disposition}; filename="${file.filename}"` },
      { name: 'Content-Transfer-Encoding', value: 'base64' },
      ...(contentId ? [{ name: 'Content-ID', value: `<${contentId}>` }] : []),
      { name: 'X-Attachment-Id', value: contentId ?? `f_${partId}` },
    ],
    content: { file, partId },
  };
}

function multipart(subtype: string, boundary: string, parts: MimeNode[]): MimeNode {
  return {
    mimeType: `multipart/${subtype}`,
    boundary,
    headers: [contentType(`multipart/${subtype}; boundary="${boundary}"`)],
    parts,
  };
}

/** Part ids as Gmail numbers them: "" for the top, "0", "1", … below it, "0.1" below "0". */
export function partIds(node: MimeNode, id = ''): Map<string, MimeNode> {
  const out = new Map<string, MimeNode>([[id, node]]);
  if (isMultipart(node))
    node.parts.forEach((part, index) => {
      for (const [childId, child] of partIds(part, id === '' ? String(index) : `${id}.${index}`))
        out.set(childId, child);
    });
  return out;
}

/** The MIME tree of a message; files remember the part ids they end up at (their attachment ids derive from them). */
export function mimeTree(item: StoredItem<GmailMessageData>): MimeNode {
  const { data } = item;
  const boundary = (level: number) => `0000000000${(item.seq * 7 + level).toString(16).padStart(8, '0')}`;
  const cid = data.inlineImage ? `ii_${item.id.slice(-8)}` : undefined;
  const text: Leaf =
    data.textCharset === 'ISO-8859-1'
      ? {
          mimeType: 'text/plain',
          filename: '',
          headers: [
            contentType('text/plain; charset="ISO-8859-1"'),
            { name: 'Content-Transfer-Encoding', value: 'quoted-printable' },
          ],
          content: { text: data.body, latin1: true },
        }
      : {
          mimeType: 'text/plain',
          filename: '',
          headers: [contentType('text/plain; charset="UTF-8"')],
          content: { text: data.body },
        };
  const html: Leaf = {
    mimeType: 'text/html',
    filename: '',
    headers: [contentType('text/html; charset="UTF-8"')],
    content: {
      text: `<div dir="ltr">${escapeHtml(data.body).replace(/\n/g, '<br>')}${cid ? `<img src="cid:${cid}">` : ''}</div>`,
    },
  };
  let body: MimeNode = data.html ? multipart('alternative', boundary(0), [text, html]) : text;
  const mixed = data.attachments.length > 0 || data.forwarded !== undefined;
  if (data.inlineImage && cid) {
    body = multipart('related', boundary(1), [body, fileLeaf(data.inlineImage, mixed ? '0.1' : '1', cid)]);
  }
  if (!mixed) return body;
  const forwarded = data.forwarded ? [forwardedLeaf(data.forwarded, boundary(3), '1')] : [];
  const files = data.attachments.map((file, index) =>
    fileLeaf(file, String(index + 1 + forwarded.length), undefined),
  );
  return multipart('mixed', boundary(2), [body, ...forwarded, ...files]);
}

/** A message carried whole in a `message/rfc822` part: a text body and its own files. */
function forwardedLeaf(forwarded: ForwardedMessage, boundary: string, partId: string): Leaf {
  const text: Leaf = {
    mimeType: 'text/plain',
    filename: '',
    headers: [contentType('text/plain; charset="UTF-8"')],
    content: { text: `The forwarded message: ${forwarded.subject}` },
  };
  const files = forwarded.files.map((file, index) => fileLeaf(file, `${partId}.${index + 1}`, undefined));
  const filename = forwarded.disposition === 'attachment' ? `${forwarded.subject}.eml` : '';
  return {
    mimeType: 'message/rfc822',
    filename,
    headers: [
      contentType('message/rfc822'),
      { name: 'Content-Disposition', value: filename ? `attachment; filename="${filename}"` : 'inline' },
    ],
    content: {
      message: files.length > 0 ? multipart('mixed', boundary, [text, ...files]) : text,
      messageHeaders: [
        { name: 'From', value: 'Forwarded Sender <forwarded@sandbox.mail.example>' },
        { name: 'Subject', value: forwarded.subject },
        { name: 'MIME-Version', value: '1.0' },
      ],
      partId,
    },
  };
}

const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** A text part's bytes in its charset (characters ISO-8859-1 lacks become `?`, as a sending client would). */
const textBytes = (content: { text: string; latin1?: true }) =>
  content.latin1
    ? Buffer.from(content.text.replace(/[^\u0000-\u00ff]/g, '?'), 'latin1')
    : Buffer.from(content.text);

/** Gmail's `MessagePart` (gmail_v1.Schema$MessagePart, checked in contract.test.ts). */
export interface MessagePart {
  partId: string;
  mimeType: string;
  filename: string;
  headers: Header[];
  body: { size: number; data?: string; attachmentId?: string };
  parts?: MessagePart[];
}

/** Gmail's `MessagePart` for a node; the top one also carries the message headers. */
export function payloadOf(node: MimeNode, messageHeaders: Header[], messageId: string, id = ''): MessagePart {
  const headers = id === '' ? [...messageHeaders, ...node.headers] : node.headers;
  const base = {
    partId: id,
    mimeType: node.mimeType,
    filename: isMultipart(node) ? '' : node.filename,
    headers,
  };
  if (isMultipart(node))
    return {
      ...base,
      body: { size: 0 },
      parts: node.parts.map((part, index) =>
        payloadOf(part, [], messageId, id === '' ? String(index) : `${id}.${index}`),
      ),
    };
  const { content } = node;
  // How Gmail's `full` shows a message/rfc822 part is not documented (docs/providers/google.md#attachment-content):
  // here, as a leaf whose body (the carried message) is fetched by attachmentId.
  if ('message' in content)
    return {
      ...base,
      body: {
        attachmentId: attachmentIdOf(messageId, content.partId),
        size: Buffer.byteLength(rawText(content.message, content.messageHeaders)),
      },
    };
  if ('file' in content)
    return {
      ...base,
      body: { attachmentId: attachmentIdOf(messageId, content.partId), size: content.file.size },
    };
  // The transfer encoding is undone and the bytes stay in the part's charset: Google documents no conversion
  // (docs/providers/google.md#gmail-message-content).
  const bytes = textBytes(content);
  return { ...base, body: { size: bytes.length, data: bytes.toString('base64url') } };
}

/** base64 wrapped at 76 characters (RFC 2045 §6.8). */
const wrapped = (base64: string) => base64.replace(/.{76}/g, '$&\r\n');
const base64Length = (size: number) => {
  const chars = Math.ceil(size / 3) * 4;
  return chars + 2 * Math.floor((chars - 1) / 76);
};

type Chunk = string | GmailFile | Header[];

/**
 * The RFC 5322 text of a message as chunks: strings, header blocks, and file sizes where base64 goes. `raw` joins
 * them with the bytes; `sizeEstimate` adds up their lengths without making any. Text parts are ASCII on the wire
 * when quoted-printable and UTF-8 (8bit) otherwise.
 */
function chunks(node: MimeNode, headers: Header[], out: Chunk[]): void {
  out.push(headers);
  if (isMultipart(node)) {
    for (const part of node.parts) {
      out.push(`--${node.boundary}\r\n`);
      chunks(part, part.headers, out);
      out.push('\r\n');
    }
    out.push(`--${node.boundary}--\r\n`);
  } else if ('text' in node.content)
    out.push(node.content.latin1 ? quotedPrintable(textBytes(node.content)) : node.content.text);
  else if ('message' in node.content) {
    const { message, messageHeaders } = node.content;
    chunks(message, [...messageHeaders, ...message.headers], out);
  } else out.push(node.content.file);
}

const isHeaders = (chunk: Chunk): chunk is Header[] => Array.isArray(chunk);

export const rawOf = (node: MimeNode, messageHeaders: Header[]): string =>
  b64url(rawText(node, messageHeaders));

function rawText(node: MimeNode, messageHeaders: Header[]): string {
  const out: Chunk[] = [];
  chunks(node, [...messageHeaders, ...node.headers], out);
  return out
    .map((c) => {
      if (typeof c === 'string') return c;
      if (isHeaders(c))
        return `${c.map((h) => `${h.name}: ${wireHeaderValue(h.name, h.value)}`).join('\r\n')}\r\n\r\n`;
      return wrapped(fileBytes(c).toString('base64'));
    })
    .join('');
}

export function sizeOf(node: MimeNode, messageHeaders: Header[]): number {
  const out: Chunk[] = [];
  chunks(node, [...messageHeaders, ...node.headers], out);
  let size = 0;
  for (const c of out) {
    if (typeof c === 'string') size += Buffer.byteLength(c);
    else if (isHeaders(c)) {
      // "name: value" lines joined by CRLF, then a blank line.
      for (const h of c)
        size += Buffer.byteLength(h.name) + Buffer.byteLength(wireHeaderValue(h.name, h.value)) + 4;
      size += 2;
    } else size += base64Length(c.size);
  }
  return size;
}

/** The bytes behind an attachment id of this message (a file, or a carried message), if any. */
export function attachmentBytes(node: MimeNode, messageId: string, attachmentId: string): Buffer | undefined {
  const partId = partIdOf(messageId, attachmentId);
  if (partId === undefined) return undefined;
  for (const part of partIds(node).values()) {
    if (isMultipart(part) || 'text' in part.content || part.content.partId !== partId) continue;
    if ('file' in part.content) return fileBytes(part.content.file);
    return Buffer.from(rawText(part.content.message, part.content.messageHeaders));
  }
  return undefined;
}
