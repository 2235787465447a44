import { randomBytes, randomUUID } from 'node:crypto';
import {
  ConnectionMismatchError,
  MalformedBlobError,
  TamperedBlobError,
  UnknownKeyIdError,
  WrongKeyError,
} from '../errors';
import type { TokenSet } from '../types';
import { CONNECTION_TAG_BYTES, IV_BYTES, TAG_BYTES, blobKeyId } from './format';
import { FINGERPRINT_BYTES, KeyRing } from './keyring';
import { openTokens, sealTokens } from './seal';

const tokens: TokenSet = {
  accessToken: 'ya29.access-token-value',
  refreshToken: '1//refresh-token-value',
  scope: ['openid', 'email'],
  tokenType: 'Bearer',
  idToken: 'eyJ.id.token',
};
const keyA = randomBytes(32);
const ringA = new KeyRing({ activeKeyId: 'a', keys: { a: keyA } });
const connectionId = randomUUID();

/** Offsets into a v1 blob sealed under key id "a" (one byte long). */
const headerLength = 2 + 1 + FINGERPRINT_BYTES + CONNECTION_TAG_BYTES;
const regions = {
  iv: headerLength,
  tag: headerLength + IV_BYTES,
  ciphertext: headerLength + IV_BYTES + TAG_BYTES,
};

function flip(blob: Buffer, offset: number): Buffer {
  const copy = Buffer.from(blob);
  copy[offset] = (copy[offset] as number) ^ 0x01;
  return copy;
}

describe('sealTokens / openTokens', () => {
  it('round-trips every field and records the active key id', () => {
    const { keyId, sealed } = sealTokens(ringA, connectionId, tokens);
    expect(keyId).toBe('a');
    expect(blobKeyId(sealed)).toBe('a');
    expect(openTokens(ringA, connectionId, sealed)).toEqual(tokens);
  });

  it('round-trips a minimal token set and drops unknown properties', () => {
    const extra = { accessToken: 'only-access', leaked: 'x' } as TokenSet;
    const opened = openTokens(ringA, connectionId, sealTokens(ringA, connectionId, extra).sealed);
    expect(opened).toEqual({ accessToken: 'only-access' });
  });

  it('uses a fresh IV each time, so equal inputs give different blobs', () => {
    const one = sealTokens(ringA, connectionId, tokens).sealed;
    const two = sealTokens(ringA, connectionId, tokens).sealed;
    expect(one.equals(two)).toBe(false);
    expect(one.subarray(regions.iv, regions.tag).equals(two.subarray(regions.iv, regions.tag))).toBe(false);
  });

  it('never contains the token text in the blob', () => {
    const sealed = sealTokens(ringA, connectionId, tokens).sealed;
    expect(sealed.includes(Buffer.from(tokens.accessToken))).toBe(false);
    expect(sealed.includes(Buffer.from(tokens.refreshToken as string))).toBe(false);
  });

  it.each(Object.entries(regions))('detects a flipped byte in the %s', (_region, offset) => {
    const sealed = sealTokens(ringA, connectionId, tokens).sealed;
    expect(() => openTokens(ringA, connectionId, flip(sealed, offset))).toThrow(TamperedBlobError);
  });

  it('refuses a blob copied to another connection', () => {
    const sealed = sealTokens(ringA, connectionId, tokens).sealed;
    expect(() => openTokens(ringA, randomUUID(), sealed)).toThrow(ConnectionMismatchError);
  });

  it('binds the full connection id even if the short connection tag collided', () => {
    // Forge a header whose connection tag matches the other connection: GCM's additional data still differs.
    const other = randomUUID();
    const sealed = sealTokens(ringA, connectionId, tokens).sealed;
    const forged = Buffer.from(sealed);
    sealTokens(ringA, other, tokens).sealed.copy(
      forged,
      3 + FINGERPRINT_BYTES,
      3 + FINGERPRINT_BYTES,
      headerLength,
    );
    expect(() => openTokens(ringA, other, forged)).toThrow(TamperedBlobError);
  });

  it('reports an unknown key id by name, without key bytes', () => {
    const sealed = sealTokens(ringA, connectionId, tokens).sealed;
    const ringB = new KeyRing({ activeKeyId: 'b', keys: { b: randomBytes(32) } });
    const error = captureError(() => openTokens(ringB, connectionId, sealed));
    expect(error).toBeInstanceOf(UnknownKeyIdError);
    expect(error.name).toBe('UnknownKeyIdError');
    expect(error.message).toContain('"a"');
  });

  it('reports a different key under the same id as a wrong key', () => {
    const sealed = sealTokens(ringA, connectionId, tokens).sealed;
    const impostor = randomBytes(32);
    const ring = new KeyRing({ activeKeyId: 'a', keys: { a: impostor } });
    const error = captureError(() => openTokens(ring, connectionId, sealed));
    expect(error).toBeInstanceOf(WrongKeyError);
    expect(error.message).not.toContain(impostor.toString('base64'));
    expect(error.message).not.toContain(keyA.toString('base64'));
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['unknown version', Buffer.from([9, 1, 0x61])],
    ['truncated', Buffer.from([1, 1, 0x61, 0, 0, 0])],
    ['zero-length key id', Buffer.alloc(64, 0).fill(1, 0, 1)],
  ])('reports a malformed blob (%s)', (_case, blob) => {
    expect(() => openTokens(ringA, connectionId, blob)).toThrow(MalformedBlobError);
  });

  it('opens blobs sealed with a retired key while sealing with the new active key', () => {
    const old = sealTokens(ringA, connectionId, tokens).sealed;
    const rotated = new KeyRing({ activeKeyId: 'b', keys: { a: keyA, b: randomBytes(32) } });
    expect(openTokens(rotated, connectionId, old)).toEqual(tokens);
    const fresh = sealTokens(rotated, connectionId, tokens);
    expect(fresh.keyId).toBe('b');
    expect(openTokens(rotated, connectionId, fresh.sealed)).toEqual(tokens);
  });
});

function captureError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}
