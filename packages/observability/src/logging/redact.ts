/** What a redacted value is replaced with. */
export const CENSOR = '[Redacted]';

/** Keys whose values are secrets wherever they appear, compared without case, `-` or `_`. */
const SENSITIVE_KEYS = new Set([
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'token',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'code',
  'codeverifier',
  'clientsecret',
  'secret',
  'password',
  'apikey',
  'xapikey',
  'sealed',
]);
/** Suffixes that make any key sensitive (`hubspotAccessToken`, `webhookSecret`); `pageToken` cursors stay. */
const SENSITIVE_SUFFIXES = ['accesstoken', 'refreshtoken', 'idtoken', 'secret', 'password', 'apikey'];

/**
 * Node and pg put error codes such as ECONNREFUSED or 23505 in `err.code`; those are kept because they are what
 * an operator needs. An OAuth authorization code never has this shape (it carries lowercase, `/`, `.` or `-`).
 */
const ERROR_CODE = /^[A-Z0-9_]{1,64}$/;

const STRING_PATTERNS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${CENSOR}`],
  [
    /(^|[?&#;,\s])(access_token|refresh_token|id_token|token|code|code_verifier|client_secret|password)=[^&\s#"',;]*/gi,
    `$1$2=${CENSOR}`,
  ],
  [
    /("(?:access_token|refresh_token|id_token|accessToken|refreshToken|idToken|client_secret|code_verifier|password)"\s*:\s*")(?:[^"\\]|\\.)*"/g,
    `$1${CENSOR}"`,
  ],
  // Passwords in connection strings: postgres://user:secret@host, redis://:secret@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s/]+@/gi, `$1${CENSOR}@`],
  // A JWT (id tokens, Microsoft access tokens) anywhere in free text.
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, CENSOR],
];

const MAX_DEPTH = 10;

export function isSensitiveKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[-_]/g, '');
  return SENSITIVE_KEYS.has(normalized) || SENSITIVE_SUFFIXES.some((s) => normalized.endsWith(s));
}

/** Removes bearer credentials, token query parameters, token JSON fields and JWTs from free text. */
export function redactString(text: string): string {
  let out = text;
  for (const [pattern, replacement] of STRING_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Returns a copy of `value` with every sensitive key censored at any depth and every string scrubbed.
 * Errors stay Errors (same prototype, so loggers still report their type) with scrubbed message and stack.
 * The input is never modified.
 */
export function redactDeep(value: unknown): unknown {
  return walk(value, 0, new Set());
}

function walk(value: unknown, depth: number, ancestors: Set<object>): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value;
  // Raw bytes may be keys or sealed blobs; their size is all a log needs.
  if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
  if (ancestors.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  ancestors.add(value);
  try {
    return walkObject(value, depth + 1, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function walkObject(value: object, depth: number, ancestors: Set<object>): unknown {
  if (value instanceof Error) return redactError(value, depth, ancestors);
  if (Array.isArray(value)) return value.map((item) => walk(item, depth, ancestors));
  if (value instanceof Map) {
    return redactEntries(
      [...value].map(([k, v]) => [String(k), v]),
      depth,
      ancestors,
    );
  }
  if (value instanceof Set) return [...value].map((item) => walk(item, depth, ancestors));
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return walk(toJSON.call(value), depth, ancestors);
  return redactEntries(Object.entries(value), depth, ancestors);
}

function redactEntries(entries: Array<[string, unknown]>, depth: number, ancestors: Set<object>) {
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) out[key] = redactField(key, item, depth, ancestors);
  return out;
}

function redactField(key: string, item: unknown, depth: number, ancestors: Set<object>): unknown {
  // null/undefined carry no secret and tell a reader that a token was absent.
  if (item === null || item === undefined || !isSensitiveKey(key)) return walk(item, depth, ancestors);
  return CENSOR;
}

function redactError(error: Error, depth: number, ancestors: Set<object>): Error {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  const hidden = (name: string, v: unknown) =>
    Object.defineProperty(copy, name, { value: v, writable: true, configurable: true, enumerable: false });
  hidden('message', redactString(String(error.message)));
  if (error.stack !== undefined) hidden('stack', redactString(String(error.stack)));
  for (const name of ['name', 'cause', 'errors']) {
    if (Object.hasOwn(error, name)) {
      hidden(name, walk((error as unknown as Record<string, unknown>)[name], depth, ancestors));
    }
  }
  for (const [key, item] of Object.entries(error)) {
    const keepCode =
      key === 'code' && (typeof item === 'number' || (typeof item === 'string' && ERROR_CODE.test(item)));
    (copy as unknown as Record<string, unknown>)[key] = keepCode
      ? item
      : redactField(key, item, depth, ancestors);
  }
  return copy;
}
