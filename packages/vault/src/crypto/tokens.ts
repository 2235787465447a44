import { MalformedBlobError } from '../errors';
import type { TokenSet } from '../types';

const OPTIONAL_STRINGS = ['refreshToken', 'tokenType', 'idToken'] as const;

/** Serialises only the known fields, so a caller's extra properties never end up sealed by accident. */
export function serializeTokens(tokens: TokenSet): Buffer {
  if (typeof tokens.accessToken !== 'string' || tokens.accessToken === '') {
    throw new TypeError('TokenSet.accessToken must be a non-empty string');
  }
  const plain: TokenSet = { accessToken: tokens.accessToken };
  for (const field of OPTIONAL_STRINGS) {
    if (tokens[field] !== undefined) plain[field] = tokens[field];
  }
  if (tokens.scope !== undefined) plain.scope = [...tokens.scope];
  return Buffer.from(JSON.stringify(plain), 'utf8');
}

/** Reports a shape problem without echoing the decrypted values. */
export function parseTokens(plaintext: Buffer): TokenSet {
  let value: unknown;
  try {
    value = JSON.parse(plaintext.toString('utf8'));
  } catch {
    throw new MalformedBlobError('sealed payload is not JSON');
  }
  if (!isTokenSet(value)) throw new MalformedBlobError('sealed payload is not a token set');
  return value;
}

function isTokenSet(value: unknown): value is TokenSet {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  if (typeof record.accessToken !== 'string') return false;
  for (const field of OPTIONAL_STRINGS) {
    if (record[field] !== undefined && typeof record[field] !== 'string') return false;
  }
  const scope = record.scope;
  return scope === undefined || (Array.isArray(scope) && scope.every((s) => typeof s === 'string'));
}
