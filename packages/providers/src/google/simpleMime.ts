import { TextDecoder } from 'node:util';
import { decodeWords } from 'postal-mime';
import { type MimeFile, type ParsedMime } from './parsedMime';

/**
 * A one-pass reader for the shape most mail has: ASCII headers, multipart/mixed, related and alternative, text/plain
 * and text/html bodies in UTF-8, US-ASCII or ISO-8859-1 (7bit, 8bit, quoted-printable or base64), files in base64
 * or 7bit. It gives exactly what postal-mime gives for such a message (rawMime.test.ts compares the two on generated
 * messages), without postal-mime's cost per part (a Blob round trip for each part's content, most of the parse:
 * bench/README.md, "Gmail parse profile") and without decoding files, of which only the size is kept. Anything
 * outside that shape (encoded or non-ASCII headers aside, which postal-mime's own decodeWords handles) returns
 * undefined, and postal-mime parses the message.
 */
export function simpleMime(raw: Buffer): ParsedMime | undefined {
  try {
    return new Reader(raw.toString('latin1')).message();
  } catch (error) {
    if (error === OUTSIDE) return undefined;
    throw error;
  }
}

/** Thrown (and caught above) where the message leaves the shape this reader takes. */
const OUTSIDE = Symbol('outside the simple shape');
const outside = (): never => {
  throw OUTSIDE;
};

const MAX_DEPTH = 8;
/** postal-mime refuses 2 MiB of headers; far below that, postal-mime decides. */
const MAX_HEADER_BYTES = 64 * 1024;
const MULTIPARTS = new Set(['mixed', 'alternative', 'related']);
const ENCODINGS = new Set(['', '7bit', '8bit', 'binary', 'quoted-printable', 'base64']);
const CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii', 'iso-8859-1']);
const decoders = new Map<string, TextDecoder>();
const decoderFor = (charset: string) => {
  let decoder = decoders.get(charset);
  if (!decoder) decoders.set(charset, (decoder = new TextDecoder(charset)));
  return decoder;
};

const TOKEN = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";
/** `type/subtype` or a disposition token; parameters `; name=token` or `; name="text"`, no comments, no RFC 2231. */
const STRUCTURED_VALUE = new RegExp(`^(${TOKEN}(?:/${TOKEN})?)[ \\t]*`);
const PARAMETER = new RegExp(
  `;[ \\t]*([A-Za-z0-9!#$%&'+.^_\`|~-]+)[ \\t]*=[ \\t]*(?:"([^"\\\\]*)"|(${TOKEN}))[ \\t]*`,
  'y',
);
const STRUCTURED_END = /;?[ \t]*$/y;
/** Base64 lines with padding only at the very end (postal-mime decodes anything else unit by unit). */
const WELL_FORMED_BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/;

interface Structured {
  value: string;
  params: Record<string, string>;
}

function structured(header: string | undefined): Structured {
  if (header === undefined) return { value: '', params: {} };
  const head = STRUCTURED_VALUE.exec(header) ?? outside();
  const params: Record<string, string> = {};
  let at = head[0].length;
  for (;;) {
    PARAMETER.lastIndex = at;
    const param = PARAMETER.exec(header);
    if (!param) break;
    const name = (param[1] as string).toLowerCase();
    // The first of a repeated parameter counts, as in postal-mime.
    if (!Object.prototype.hasOwnProperty.call(params, name)) params[name] = param[2] ?? (param[3] as string);
    at = PARAMETER.lastIndex;
  }
  STRUCTURED_END.lastIndex = at;
  if (!STRUCTURED_END.test(header) || STRUCTURED_END.lastIndex !== header.length) outside();
  return { value: (head[1] as string).toLowerCase(), params };
}

interface Header {
  key: string;
  value: string;
}

interface BoundaryLine {
  start: number;
  next: number;
  level: number;
  terminator: boolean;
}

interface TextEntries {
  plain?: string[];
  html?: string[];
}

const isWsp = (text: string, i: number) => text[i] === ' ' || text[i] === '\t';
/** SP and HTAB off both ends, by index: a regex retries at each space of a long inner run (postal-mime's note). */
function trimWsp(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isWsp(text, start)) start += 1;
  while (end > start && isWsp(text, end - 1)) end -= 1;
  return text.slice(start, end);
}

class Reader {
  private headerBytes = 0;
  private readonly texts = new Map<object, TextEntries>();
  private readonly attachments: MimeFile[] = [];

  constructor(private readonly s: string) {}

  message(): ParsedMime {
    const { headers, bodyStart } = this.headers(0);
    this.node(headers, bodyStart, [], 0, undefined, false);
    const first = (key: string) => headers.find((h) => h.key === key);
    const parsed: ParsedMime = { headers, attachments: this.attachments };
    for (const [key, field] of [
      ['subject', 'subject'],
      ['message-id', 'messageId'],
      ['in-reply-to', 'inReplyTo'],
      ['references', 'references'],
    ] as const) {
      const value = first(key)?.value;
      if (value) parsed[field] = decodeWords(value);
    }
    const date = first('date');
    if (date) {
      const when = new Date(date.value);
      parsed.date = Number.isNaN(when.getTime()) ? date.value : when.toISOString();
    }
    const entries = [...this.texts.values()];
    const types = new Set(entries.flatMap((e) => Object.keys(e)));
    // postal-mime converts a part of one type for a node lacking the other; that conversion is its own.
    if (types.size === 2 && entries.some((e) => !e.plain || !e.html)) outside();
    const html = entries.flatMap((e) => e.html ?? []).join('\n');
    const text = entries.flatMap((e) => e.plain ?? []).join('\n');
    if (html) parsed.html = html;
    if (text) parsed.text = text;
    return parsed;
  }

  /** A header block from `pos` to its blank line: folded lines joined, keys lowercased, values trimmed. */
  private headers(pos: number): { headers: Header[]; bodyStart: number } {
    const { s } = this;
    const folded: string[][] = [];
    for (;;) {
      const eol = s.indexOf('\n', pos);
      if (eol === -1) outside();
      const line = s.slice(pos, eol).replace(/\r+$/, '');
      pos = eol + 1;
      if (line === '') break;
      this.headerBytes += line.length;
      // Non-ASCII and bare CRs, a possible boundary, a first line that is a fold: postal-mime's to judge.
      if (this.headerBytes > MAX_HEADER_BYTES || /[^\x20-\x7e\t]/.test(line) || line.startsWith('--'))
        outside();
      if (/^[ \t]/.test(line)) (folded[folded.length - 1] ?? outside()).push(line);
      else folded.push([line]);
    }
    const headers = folded.map((parts) => {
      const unfolded = parts.join('');
      const sep = unfolded.indexOf(':');
      if (sep < 0) outside();
      return { key: trimWsp(unfolded.slice(0, sep)).toLowerCase(), value: trimWsp(unfolded.slice(sep + 1)) };
    });
    return { headers, bodyStart: pos };
  }

  /**
   * Reads the node whose headers were read and whose body starts at `bodyStart`, inside the multiparts whose
   * boundaries are `open` (outermost first). Returns where the node's boundary line is (undefined: the end).
   */
  private node(
    headers: Header[],
    bodyStart: number,
    open: readonly string[],
    depth: number,
    alternative: object | undefined,
    related: boolean,
  ): BoundaryLine | undefined {
    if (depth > MAX_DEPTH) outside();
    const type = structured(firstValue(headers, 'content-type') ?? 'text/plain');
    if (type.value.startsWith('multipart/'))
      return this.multipart(type, bodyStart, open, depth, alternative, related);
    const found = this.boundary(bodyStart, open);
    if (found && found.level !== open.length - 1) outside();
    this.leaf(
      headers,
      type,
      this.s.slice(bodyStart, found ? found.start : this.s.length),
      alternative,
      related,
    );
    return found;
  }

  private multipart(
    type: Structured,
    bodyStart: number,
    open: readonly string[],
    depth: number,
    alternative: object | undefined,
    related: boolean,
  ): BoundaryLine | undefined {
    const subtype = type.value.slice('multipart/'.length);
    const boundary = type.params.boundary;
    if (!MULTIPARTS.has(subtype) || !boundary || /[^\x21-\x7e ]/.test(boundary)) outside();
    // One boundary the prefix of another would make postal-mime's matching order matter.
    if (open.some((b) => b.startsWith(boundary as string) || (boundary as string).startsWith(b))) outside();
    const inner = [...open, boundary as string];
    const self = {};
    const within = subtype === 'alternative' ? self : alternative;
    let line = this.boundary(bodyStart, inner);
    if (!line || line.level !== open.length || line.terminator) outside();
    while (line && !line.terminator) {
      const { headers, bodyStart: childBody } = this.headers(line.next);
      const end = this.node(headers, childBody, inner, depth + 1, within, related || subtype === 'related');
      // After a nested multipart's terminator, what comes before this one's next boundary is ignored (as postal-mime
      // does): `end` is that next boundary.
      line = end;
      if (!line || line.level !== open.length) outside();
    }
    return this.boundary((line as BoundaryLine).next, open);
  }

  /** The first line from `pos` that is a boundary of an open multipart (innermost first, as postal-mime tries). */
  private boundary(pos: number, open: readonly string[]): BoundaryLine | undefined {
    if (open.length === 0) return undefined;
    const { s } = this;
    const candidate = (from: number) => {
      const at = s.indexOf('\n--', from);
      return at === -1 ? -1 : at + 1;
    };
    for (let start = s.startsWith('--', pos) ? pos : candidate(pos); start !== -1;) {
      const eol = s.indexOf('\n', start);
      const next = eol === -1 ? s.length : eol + 1;
      const line = s.slice(start, eol === -1 ? s.length : eol).replace(/\r+$/, '');
      for (let level = open.length - 1; level >= 0; level -= 1) {
        const b = open[level] as string;
        if (!line.startsWith(`--${b}`)) continue;
        const rest = line.slice(b.length + 2);
        const terminator = rest.startsWith('--');
        if (/^[ \t]*$/.test(terminator ? rest.slice(2) : rest)) return { start, next, level, terminator };
      }
      start = eol === -1 ? -1 : candidate(eol);
    }
    return undefined;
  }

  private leaf(
    headers: Header[],
    type: Structured,
    body: string,
    alternative: object | undefined,
    related: boolean,
  ): void {
    const disposition = structured(firstValue(headers, 'content-disposition'));
    const encoding = transferEncoding(firstValue(headers, 'content-transfer-encoding'));
    if (
      type.value.startsWith('message/') ||
      type.value === 'text/calendar' ||
      type.value === 'application/ics'
    )
      outside();
    const isText =
      disposition.value !== 'attachment' && (type.value === 'text/plain' || type.value === 'text/html');
    if (isText) {
      if (/^flowed$/i.test(type.params.format ?? '')) outside();
      const charset = (type.params.charset ?? 'utf8').trim().toLowerCase();
      if (!CHARSETS.has(charset)) outside();
      const text = decoderFor(charset).decode(decodeBody(encoding, body));
      const key = alternative ?? {};
      const entry = this.texts.get(key) ?? {};
      this.texts.set(key, entry);
      (entry[type.value === 'text/html' ? 'html' : 'plain'] ??= []).push(text);
      return;
    }
    if (encoding === 'quoted-printable') outside();
    const filename = disposition.params.filename || type.params.name || null;
    const contentId = firstValue(headers, 'content-id');
    this.attachments.push({
      filename: filename ? decodeWords(filename) : null,
      mimeType: type.value,
      disposition: disposition.value || null,
      ...(related && contentId ? { related: true } : {}),
      ...(contentId ? { contentId } : {}),
      size: encoding === 'base64' ? base64Size(body) : passThrough(body).length,
    });
  }
}

function firstValue(headers: readonly Header[], key: string): string | undefined {
  return headers.find((h) => h.key === key)?.value;
}

function transferEncoding(header: string | undefined): string {
  if (header?.includes('(')) outside();
  const encoding = (header?.toLowerCase().match(/[\w-]+/) ?? [''])[0];
  if (!ENCODINGS.has(encoding)) outside();
  return encoding;
}

/** The lines postal-mime hands a part: each without its line-end characters, then a LF. */
function passThrough(body: string): string {
  if (body === '') return body;
  return (body.endsWith('\n') ? body : `${body}\n`).replace(/\r+\n/g, '\n');
}

function decodeBody(encoding: string, body: string): Buffer {
  if (encoding === 'base64') {
    if (!WELL_FORMED_BASE64.test(body) || base64Chars(body) % 4 !== 0) outside();
    return Buffer.from(body, 'base64');
  }
  const lines = passThrough(body);
  return encoding === 'quoted-printable' ? quotedPrintable(lines) : Buffer.from(lines, 'latin1');
}

/** postal-mime's quoted-printable decoder: `=XX` escapes, a trailing `=` joins lines, anything else literal. */
function quotedPrintable(lines: string): Buffer {
  const out = Buffer.alloc(lines.length);
  let n = 0;
  for (const line of lines.slice(0, -1).split('\n')) {
    const soft = line.endsWith('=');
    const len = soft ? line.length - 1 : line.length;
    for (let i = 0; i < len; i += 1) {
      const hex = line[i] === '=' && i + 2 < len ? /^[0-9A-Fa-f]{2}$/.exec(line.slice(i + 1, i + 3)) : null;
      if (hex) {
        out[n++] = parseInt(hex[0], 16);
        i += 2;
      } else out[n++] = line.charCodeAt(i);
    }
    if (!soft) out[n++] = 0x0a;
  }
  return out.subarray(0, n);
}

/** Characters other than line breaks. */
function base64Chars(body: string): number {
  let breaks = 0;
  for (const c of ['\n', '\r'])
    for (let i = body.indexOf(c); i !== -1; i = body.indexOf(c, i + 1)) breaks += 1;
  return body.length - breaks;
}

function base64Size(body: string): number {
  if (!WELL_FORMED_BASE64.test(body)) outside();
  const chars = base64Chars(body);
  if (chars % 4 !== 0) outside();
  return (chars / 4) * 3 - trailingPadding(body);
}

/** The `=` at the end, before trailing line breaks; a backward scan (an unanchored regex tries every position). */
function trailingPadding(body: string): number {
  let end = body.length;
  while (end > 0 && (body[end - 1] === '\n' || body[end - 1] === '\r')) end -= 1;
  let padding = 0;
  while (padding < end && body[end - 1 - padding] === '=') padding += 1;
  return padding;
}
