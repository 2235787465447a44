import { randomBytes } from 'node:crypto';
import PostalMime, { type Attachment, type Email } from 'postal-mime';

/** A parsed message whose attachments carry their decoded size instead of their bytes. */
export interface ParsedMime extends Omit<Email, 'attachments'> {
  attachments: Array<Omit<Attachment, 'content'> & { size: number }>;
}

/**
 * Parses an RFC 5322 message with postal-mime without decoding the attachments' base64, which the CRM does not keep
 * (only their metadata) and which was most of the parse (bench/README.md, "Gmail parse profile").
 *
 * Before parsing, every base64 body that looks like an attachment's is replaced by a short base64 marker that names
 * it; postal-mime then parses a message a few hundred bytes long, and each attachment whose content is a marker gets
 * the size of the body it stands for. The replacement cannot change what postal-mime sees: a replaced body is whole
 * lines of the base64 alphabet (no boundary, which starts with `--`, no header, which needs a `:`) replaced by such
 * lines, so the part structure, headers and text bodies parse as before. Whether a body really was an attachment's
 * content is not guessed but checked: every marker must come back as the whole content of exactly one attachment
 * (so postal-mime base64-decoded that part as an attachment, and nothing joined it); otherwise the original message
 * is parsed as it is. Markers hold a per-process secret, so no message can forge one.
 */
export async function parseMime(raw: Buffer): Promise<ParsedMime> {
  const text = raw.toString('latin1');
  const elided = elideBase64Bodies(text);
  if (elided.bodies.length > 0) {
    const parsed = await PostalMime.parse(Buffer.from(elided.text, 'latin1'));
    const sized = withElidedSizes(parsed, elided.bodies);
    if (sized) return sized;
  }
  const parsed = await PostalMime.parse(raw);
  return { ...parsed, attachments: parsed.attachments.map((a) => withSize(a, byteLength(a.content))) };
}

/** Bodies shorter than this are decoded as they are: replacing them saves nothing. */
const MIN_ELIDED_CHARS = 256;
/** 15 secret bytes and a 3-byte index: 24 base64 characters, no padding. */
const SECRET = randomBytes(15);
const MARKER_BYTES = 18;

interface ElidedBody {
  marker: Buffer;
  size: number;
}

const markerOf = (index: number) => {
  const marker = Buffer.alloc(MARKER_BYTES);
  SECRET.copy(marker);
  marker.writeUIntBE(index, 15, 3);
  return marker;
};

/** A part header block that declares base64; its end is the blank line after it. */
const BASE64_HEADER = /^content-transfer-encoding:[ \t]*base64[ \t]*\r?$/gim;
const HEADER_END = /\r?\n\r?\n/g;
/** Whole lines of base64 (with its padding), from where the body starts; the last may end the message. */
const BASE64_LINES = /(?:[A-Za-z0-9+/]+={0,2}(?:\r?\n|$))+/y;
/** Well-formed base64: padding only at the very end. */
const WELL_FORMED = /^[A-Za-z0-9+/\r\n]*(=*)(?:\r?\n)?$/;

/** Exported for its tests. */
export function elideBase64Bodies(text: string): { text: string; bodies: ElidedBody[] } {
  const bodies: ElidedBody[] = [];
  const pieces: string[] = [];
  let copied = 0;
  BASE64_HEADER.lastIndex = 0;
  for (let header = BASE64_HEADER.exec(text); header; header = BASE64_HEADER.exec(text)) {
    HEADER_END.lastIndex = header.index;
    const end = HEADER_END.exec(text);
    if (!end) break;
    const start = end.index + end[0].length;
    BASE64_LINES.lastIndex = start;
    const lines = BASE64_LINES.exec(text);
    BASE64_HEADER.lastIndex = Math.max(start, BASE64_LINES.lastIndex);
    if (!lines) continue;
    const body = lines[0];
    const after = start + body.length;
    // A boundary (or the end of the message) must follow: anything else would join the part's content.
    if (after < text.length && !text.startsWith('--', after)) continue;
    const chars = countBase64Chars(body);
    const wellFormed = chars >= MIN_ELIDED_CHARS && chars % 4 === 0 ? WELL_FORMED.exec(body) : null;
    if (!wellFormed) continue;
    const marker = markerOf(bodies.length);
    bodies.push({ marker, size: (chars / 4) * 3 - (wellFormed[1] as string).length });
    pieces.push(text.slice(copied, start), marker.toString('base64'), body.slice(body.search(/\r?\n?$/)));
    copied = after;
  }
  if (bodies.length === 0) return { text, bodies };
  pieces.push(text.slice(copied));
  return { text: pieces.join(''), bodies };
}

/** Base64 characters (padding included) in whole lines: all but the line breaks. */
function countBase64Chars(lines: string): number {
  let breaks = 0;
  for (let i = lines.indexOf('\n'); i !== -1; i = lines.indexOf('\n', i + 1))
    breaks += lines.charCodeAt(i - 1) === 13 ? 2 : 1;
  return lines.length - breaks;
}

/** The parse with each marker's size in place, or undefined if a marker did not come back as exactly one file. */
function withElidedSizes(parsed: Email, bodies: readonly ElidedBody[]): ParsedMime | undefined {
  const seen = new Array<number>(bodies.length).fill(0);
  const attachments = parsed.attachments.map((attachment) => {
    const content = attachment.content;
    const size = byteLength(content);
    if (size !== MARKER_BYTES || typeof content === 'string') return withSize(attachment, size);
    const bytes = content instanceof Uint8Array ? content : new Uint8Array(content);
    const index = bodies.findIndex((b) => b.marker.equals(bytes));
    if (index === -1) return withSize(attachment, size);
    seen[index] = (seen[index] ?? 0) + 1;
    return withSize(attachment, (bodies[index] as ElidedBody).size);
  });
  return seen.every((count) => count === 1) ? { ...parsed, attachments } : undefined;
}

function withSize(attachment: Attachment, size: number): ParsedMime['attachments'][number] {
  const { content: _content, ...rest } = attachment;
  return { ...rest, size };
}

function byteLength(content: Attachment['content']): number {
  return typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
}
