import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Opaque, tamper-evident cursors (page tokens, sync tokens, delta links, `after` values) for every emulated API.
 * The real providers' cursors are opaque server-side handles: an edited, truncated or foreign one is refused
 * with the provider's own error, never read as a different position (docs/providers/README.md). The sandbox
 * keeps a round's state inside the token, so it signs it: `<base64url JSON>.<base64url HMAC-SHA256>`.
 *
 * `purpose` names the kind of cursor (`gmail.pageToken`, `graph.deltatoken`, …) and is part of the MAC, so a page
 * token replayed as a sync token, or one API's cursor sent to another, fails like a forged one.
 */

/** Per process: a sandbox's cursors are valid only for the process that minted them, as its data is. */
const KEY = randomBytes(32);

const mac = (purpose: string, body: string) =>
  createHmac('sha256', KEY).update(purpose).update('\0').update(body).digest();

export function sealCursor(purpose: string, payload: unknown): string {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${mac(purpose, body).toString('base64url')}`;
}

/** The payload sealed for `purpose`, or undefined for anything this process did not mint for it. */
export function openCursor(purpose: string, token: string | undefined): unknown {
  if (typeof token !== 'string' || token.length > 8192) return undefined;
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return undefined;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = mac(purpose, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
