import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { InvalidKeyRingError } from '../errors';
import { KeyRing } from './keyring';

describe('KeyRing', () => {
  it('exposes the active key and every id', () => {
    const ring = new KeyRing({ activeKeyId: 'b', keys: { a: randomBytes(32), b: randomBytes(32) } });
    expect(ring.active().id).toBe('b');
    expect(ring.keyIds().sort()).toEqual(['a', 'b']);
    expect(ring.get('a')?.key).toHaveLength(32);
    expect(ring.get('c')).toBeUndefined();
  });

  it.each([
    [
      'a short key',
      { activeKeyId: 'a', keys: { a: randomBytes(16) } },
      /"a" must be 32 bytes \(got 16 bytes\)/,
    ],
    ['a long key', { activeKeyId: 'a', keys: { a: randomBytes(33) } }, /got 33 bytes/],
    ['no keys', { activeKeyId: 'a', keys: {} }, /at least one key/],
    [
      'a missing active key',
      { activeKeyId: 'z', keys: { a: randomBytes(32) } },
      /"z" is not in the key ring/,
    ],
    ['a bad key id', { activeKeyId: 'a b', keys: { 'a b': randomBytes(32) } }, /must match/],
  ])('refuses %s with a typed error', (_case, options, message) => {
    expect(() => new KeyRing(options)).toThrow(InvalidKeyRingError);
    expect(() => new KeyRing(options)).toThrow(message);
  });

  it('does not show key material when inspected or serialised', () => {
    const key = randomBytes(32);
    const ring = new KeyRing({ activeKeyId: 'a', keys: { a: key } });
    const shown = inspect(ring, { depth: 10, showHidden: true }) + JSON.stringify(ring);
    expect(shown).not.toContain(key.toString('hex'));
    expect(shown).not.toContain(key.toString('base64'));
    expect(shown).not.toMatch(/<Buffer/);
    expect(JSON.parse(JSON.stringify(ring))).toEqual({ activeKeyId: 'a', keyIds: ['a'] });
  });

  it('copies keys so later changes to the caller buffer do not matter', () => {
    const key = randomBytes(32);
    const ring = new KeyRing({ activeKeyId: 'a', keys: { a: key } });
    const before = Buffer.from(ring.active().key);
    key.fill(0);
    expect(ring.active().key.equals(before)).toBe(true);
  });
});
