import { createHash } from 'node:crypto';
import { KeyRing } from './keyring';
import { lookupCandidates, refreshTokenDigest, refreshTokenLookups } from './refreshTokenLookups';

const TOKEN = '1//0gExampleRefreshToken-of-the-RISC-test_vector';
// Computed apart from this code, with OpenSSL:
//   printf '%s' "$TOKEN" | openssl dgst -sha512 -binary | openssl dgst -sha512 -binary | base64 -w0
const OPENSSL_DIGEST =
  'LXT4TFtA68oCMggfgfB5q8QFst4l8wQ3g8GPWmjUYTzwAIKv0BhI+HlBQnv7p4E3NZ1x/bv2UKoLa/3/kW1Ypw==';

const key = (byte: number) => Buffer.alloc(32, byte);

describe('refresh token lookups', () => {
  it('digests as Google’s hash_base64_sha512_sha512: base64 of SHA-512 over the raw SHA-512', () => {
    expect(refreshTokenDigest(TOKEN)).toBe(OPENSSL_DIGEST);
    // Not the hex-then-hash reading, which would be another value altogether.
    const hexInner = createHash('sha512').update(TOKEN).digest('hex');
    expect(createHash('sha512').update(hexInner).digest('base64')).not.toBe(OPENSSL_DIGEST);
  });

  it('keeps neither the token nor its prefix: a MAC of the first 16 characters under the active key', () => {
    const ring = new KeyRing({ activeKeyId: 'k1', keys: { k1: key(1) } });
    const lookups = refreshTokenLookups(ring, TOKEN);
    expect(lookups.digest).toBe(OPENSSL_DIGEST);
    expect(lookups.prefixMac).toHaveLength(32);
    expect(lookups.prefixMac!.toString('latin1')).not.toContain(TOKEN.slice(0, 16));
    // Same prefix, same MAC; the rest of the token does not count.
    expect(refreshTokenLookups(ring, `${TOKEN.slice(0, 16)}another-tail`).prefixMac).toEqual(
      lookups.prefixMac,
    );
    expect(refreshTokenLookups(ring, `x${TOKEN}`).prefixMac).not.toEqual(lookups.prefixMac);
    expect(refreshTokenLookups(ring, undefined)).toEqual({ digest: null, prefixMac: null });
  });

  it('depends on the ring key, and a lookup tries every key of the ring', () => {
    const one = new KeyRing({ activeKeyId: 'k1', keys: { k1: key(1) } });
    const other = new KeyRing({ activeKeyId: 'k1', keys: { k1: key(2) } });
    const both = new KeyRing({ activeKeyId: 'k2', keys: { k1: key(1), k2: key(2) } });
    const underOne = refreshTokenLookups(one, TOKEN).prefixMac;
    expect(refreshTokenLookups(other, TOKEN).prefixMac).not.toEqual(underOne);
    const candidates = lookupCandidates(both, { alg: 'prefix', value: TOKEN.slice(0, 16) });
    expect(candidates.column).toBe('refresh_token_prefix_mac');
    expect(candidates.values).toEqual([underOne, refreshTokenLookups(other, TOKEN).prefixMac]);
    expect(lookupCandidates(both, { alg: 'sha512-sha512', value: OPENSSL_DIGEST })).toEqual({
      column: 'refresh_token_digest',
      values: [OPENSSL_DIGEST],
    });
  });
});
