import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConnectionMismatchError, TamperedBlobError, UnknownKeyIdError, WrongKeyError } from '../errors';
import { additionalData, connectionTag, decodeBlob, encodeHeader, IV_BYTES, TAG_BYTES } from './format';
import type { KeyRing } from './keyring';

const ALGORITHM = 'aes-256-gcm';

/**
 * What a ring-sealed blob is for. Tokens keep the bare connection id as their binding (the layout blobs already
 * stored were sealed with); every other purpose prefixes it, so a blob of one purpose never opens as another
 * (a credential blob copied into `data_keys` is refused like one copied to another connection).
 */
export type BlobPurpose = 'tokens' | 'data-key';

function binding(purpose: BlobPurpose, connectionId: string): string {
  return purpose === 'tokens' ? connectionId : `${purpose}\0${connectionId}`;
}

export interface SealedBlob {
  /** The id of the ring key that sealed `sealed`; stored in its own column so rotation can find old rows. */
  keyId: string;
  sealed: Buffer;
}

/** Seals with the ring's active key and a fresh random IV; the blob opens only for `connectionId` and `purpose`. */
export function sealBlob(
  ring: KeyRing,
  purpose: BlobPurpose,
  connectionId: string,
  plaintext: Buffer,
): SealedBlob {
  const bound = binding(purpose, connectionId);
  const key = ring.active();
  const header = encodeHeader(key.id, key.fingerprint, connectionTag(bound));
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(header, bound));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { keyId: key.id, sealed: Buffer.concat([header, iv, cipher.getAuthTag(), ciphertext]) };
}

/**
 * Opens a blob sealed for `connectionId` and `purpose`. Checks run cheapest and most specific first, so each
 * failure gets its own error class: malformed → unknown key id → wrong key → other connection → tampered.
 */
export function openBlob(ring: KeyRing, purpose: BlobPurpose, connectionId: string, blob: Buffer): Buffer {
  const bound = binding(purpose, connectionId);
  const parts = decodeBlob(blob);
  const key = ring.get(parts.keyId);
  if (!key) throw new UnknownKeyIdError(parts.keyId);
  if (!timingSafeEqual(key.fingerprint, parts.keyFingerprint)) throw new WrongKeyError(parts.keyId);
  if (!timingSafeEqual(connectionTag(bound), parts.connectionTag)) {
    throw new ConnectionMismatchError(connectionId);
  }
  const decipher = createDecipheriv(ALGORITHM, key.key, parts.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(parts.header, bound));
  decipher.setAuthTag(parts.tag);
  try {
    return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]);
  } catch {
    throw new TamperedBlobError(connectionId);
  }
}
