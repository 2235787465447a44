import { createHash, createHmac, hkdfSync } from 'node:crypto';
import type { RefreshTokenIdentifier } from '@crm-sync/core';
import type { KeyRing } from './keyring';

/**
 * Google's RISC `token-revoked` names a refresh token by its first 16 characters (`token_identifier_alg: prefix`)
 * or by `hash_base64_sha512_sha512`, and suggests indexing stored tokens by both
 * (https://developers.google.com/identity/protocols/risc, "OAuth token identifiers"; docs/providers/notices.md).
 */
export const REFRESH_TOKEN_PREFIX_CHARS = 16;

const SALT = Buffer.from('crm-sync/refresh-token-lookup/v1', 'utf8');
const PREFIX_INFO = 'refresh-token-prefix';

/** What `credentials` keeps beside the sealed tokens so a notice naming a refresh token finds its row. */
export interface RefreshTokenLookups {
  /** Base64 of SHA-512(SHA-512(token)): what Google sends; a digest of 256+ random bits reverses to nothing. */
  digest: string | null;
  /**
   * HMAC-SHA256 of the 16-character prefix under a key derived from the ring key the row is sealed with. The prefix
   * alone is a fraction of a secret and short enough to guess at, so it is never stored, only this keyed value.
   */
  prefixMac: Buffer | null;
}

/** Base64 (standard, padded) of SHA-512 over the raw SHA-512 digest of the token's UTF-8 bytes. */
export function refreshTokenDigest(refreshToken: string): string {
  const inner = createHash('sha512').update(refreshToken, 'utf8').digest();
  return createHash('sha512').update(inner).digest('base64');
}

/** The lookup values of a token set's refresh token, keyed under the ring's active key (the one sealing the row). */
export function refreshTokenLookups(ring: KeyRing, refreshToken: string | undefined): RefreshTokenLookups {
  if (!refreshToken) return { digest: null, prefixMac: null };
  return {
    digest: refreshTokenDigest(refreshToken),
    prefixMac: prefixMac(ring, ring.activeKeyId, refreshToken.slice(0, REFRESH_TOKEN_PREFIX_CHARS)),
  };
}

/**
 * What a stored row holds for a token the notice names: the digest as sent, or the prefix's MAC under every key of
 * the ring (a row keeps the MAC of the key it is sealed with until a refresh or a reseal rewrites it).
 */
export function lookupCandidates(
  ring: KeyRing,
  identifier: RefreshTokenIdentifier,
):
  | { column: 'refresh_token_digest'; values: string[] }
  | { column: 'refresh_token_prefix_mac'; values: Buffer[] } {
  if (identifier.alg === 'sha512-sha512')
    return { column: 'refresh_token_digest', values: [identifier.value] };
  return {
    column: 'refresh_token_prefix_mac',
    values: ring.keyIds().map((keyId) => prefixMac(ring, keyId, identifier.value)),
  };
}

function prefixMac(ring: KeyRing, keyId: string, prefix: string): Buffer {
  const secret = ring.get(keyId)?.key;
  if (!secret) throw new Error(`key ${keyId} is not in the ring`);
  // Its own HKDF purpose: a MAC key that seals nothing and matches no other keyed value of the vault.
  const key = Buffer.from(hkdfSync('sha256', secret, SALT, PREFIX_INFO, 32));
  return createHmac('sha256', key).update(prefix, 'utf8').digest();
}
