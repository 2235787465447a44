import type { TokenSet } from '../types';
import { openBlob, sealBlob, type SealedBlob } from './blob';
import type { KeyRing } from './keyring';
import { parseTokens, serializeTokens } from './tokens';

export type SealedTokens = SealedBlob;

/** Seals with the ring's active key and a fresh random IV; the blob only opens for `connectionId`. */
export function sealTokens(ring: KeyRing, connectionId: string, tokens: TokenSet): SealedTokens {
  return sealBlob(ring, 'tokens', connectionId, serializeTokens(tokens));
}

/** Opens a token blob sealed for `connectionId`; each failure has its own error class (crypto/blob.ts). */
export function openTokens(ring: KeyRing, connectionId: string, blob: Buffer): TokenSet {
  return parseTokens(openBlob(ring, 'tokens', connectionId, blob));
}
