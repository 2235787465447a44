/** How mail bodies are fetched and capped (MAIL_BODY_MAX_BYTES, MAIL_BODY_CONTENT_TYPE in packages/config). */
export interface MailBodyOptions {
  /** A body longer than this many UTF-8 bytes is cut to it and the record flagged `bodyTruncated`. */
  maxBytes: number;
  /** The body type asked of providers that convert (Graph's `Prefer: outlook.body-content-type`). */
  contentType: 'html' | 'text';
}

/**
 * 256 KiB keeps a page of 500 messages in the tens of megabytes at worst, and is the sync engine's cap on any text
 * value (packages/sync-engine records/safeValues.ts), which the configured cap may not exceed.
 */
export const MAIL_BODY_DEFAULTS: MailBodyOptions = { maxBytes: 262_144, contentType: 'html' };

export interface CappedBody {
  text: string | null;
  truncated: boolean;
}

/**
 * The body cut to at most `maxBytes` UTF-8 bytes, never inside a character: when the byte after the cut continues
 * a character (10xxxxxx, RFC 3629 §3), the cut moves back to that character's first byte.
 */
export function capBody(body: string | null | undefined, maxBytes: number): CappedBody {
  if (body === null || body === undefined || body === '') return { text: null, truncated: false };
  // Three bytes per UTF-16 unit is the most UTF-8 needs, so shorter texts cannot exceed the cap.
  if (body.length * 3 <= maxBytes || Buffer.byteLength(body) <= maxBytes)
    return { text: body, truncated: false };
  // maxBytes UTF-16 units hold at least maxBytes bytes, so the cut falls inside them.
  const bytes = Buffer.from(body.slice(0, maxBytes));
  let end = maxBytes;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return { text: bytes.toString('utf8', 0, end), truncated: true };
}
