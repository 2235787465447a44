/**
 * Graph's `$skiptoken` / `$deltatoken` values. They are opaque to callers, so the sandbox keeps
 * the whole round's state inside them (query options are sent only on the first request).
 */

export interface DeltaQuery {
  /** Dataset the token belongs to, e.g. `messages:inbox`; a token replayed elsewhere is stale. */
  scope: string;
  accountId: string;
  select: string[] | undefined;
  window: { start: string; end: string } | undefined;
}

/** A round in progress: either the initial listing or the replay of a change-log range. */
export type DeltaCursor =
  | { kind: 'initial'; until: number; afterOrdinal: number | undefined }
  | { kind: 'changes'; since: number; until: number; offset: number };

export interface SkipState {
  query: DeltaQuery;
  cursor: DeltaCursor;
}

export interface DeltaState {
  query: DeltaQuery;
  since: number;
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decode(token: string): unknown {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isQuery(value: unknown): value is DeltaQuery {
  return isRecord(value) && typeof value.scope === 'string' && typeof value.accountId === 'string';
}

function isCursor(value: unknown): value is DeltaCursor {
  if (!isRecord(value) || typeof value.until !== 'number') return false;
  if (value.kind === 'initial')
    return value.afterOrdinal === undefined || typeof value.afterOrdinal === 'number';
  return value.kind === 'changes' && typeof value.since === 'number' && typeof value.offset === 'number';
}

export function encodeSkipToken(state: SkipState): string {
  return encode({ q: state.query, c: state.cursor });
}

export function encodeDeltaToken(state: DeltaState): string {
  return encode({ q: state.query, s: state.since });
}

/** Returns undefined for anything the sandbox did not mint: Graph answers those as expired. */
export function decodeSkipToken(token: string): SkipState | undefined {
  const raw = decode(token);
  if (!isRecord(raw) || !isQuery(raw.q) || !isCursor(raw.c)) return undefined;
  return { query: raw.q, cursor: raw.c };
}

export function decodeDeltaToken(token: string): DeltaState | undefined {
  const raw = decode(token);
  if (!isRecord(raw) || !isQuery(raw.q) || typeof raw.s !== 'number') return undefined;
  return { query: raw.q, since: raw.s };
}
