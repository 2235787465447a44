import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConnectionMismatchError, TamperedBlobError, UnknownKeyIdError, WrongKeyError } from '../errors';
import type { TokenSet } from '../types';
import { additionalData, connectionTag, decodeBlob, encodeHeader, IV_BYTES, TAG_BYTES } from './format';
import type { KeyRing } from './keyring';
import { parseTokens, serializeTokens } from './tokens';

const ALGORITHM = 'aes-256-gcm';

export interface SealedTokens {
  /** The id of the key that sealed `sealed`; stored in its own column so re-sealing can find old rows. */
  keyId: string;
  sealed: Buffer;
}

/** Seals with the ring's active key and a fresh random IV; the blob only opens for `connectionId`. */
export function sealTokens(ring: KeyRing, connectionId: string, tokens: TokenSet): SealedTokens {
  const key = ring.active();
  const header = encodeHeader(key.id, key.fingerprint, connectionTag(connectionId));
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(header, connectionId));
  const ciphertext = Buffer.concat([cipher.update(serializeTokens(tokens)), cipher.final()]);
  return { keyId: key.id, sealed: Buffer.concat([header, iv, cipher.getAuthTag(), ciphertext]) };
}

/**
 * Opens a blob sealed for `connectionId`. Checks run cheapest and most specific first, so each failure gets its
 * own error class: malformed → unknown key id → wrong key → other connection → tampered.
 */
export function openTokens(ring: KeyRing, connectionId: string, blob: Buffer): TokenSet {
  const parts = decodeBlob(blob);
  const key = ring.get(parts.keyId);
  if (!key) throw new UnknownKeyIdError(parts.keyId);
  if (!timingSafeEqual(key.fingerprint, parts.keyFingerprint)) throw new WrongKeyError(parts.keyId);
  if (!timingSafeEqual(connectionTag(connectionId), parts.connectionTag)) {
    throw new ConnectionMismatchError(connectionId);
  }
  const decipher = createDecipheriv(ALGORITHM, key.key, parts.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(parts.header, connectionId));
  decipher.setAuthTag(parts.tag);
  let plaintext: Buffer;
  try {
    plaintext = Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]);
  } catch {
    throw new TamperedBlobError(connectionId);
  }
  return parseTokens(plaintext);
}
