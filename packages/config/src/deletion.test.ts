import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { loadConfig } from './load';
import { DEV_RECEIPT_KEYS, parseReceiptKeys } from './deletion';

const ed25519 = () =>
  generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');

describe('deletion receipt keys', () => {
  it('parses a ring and picks the active key', () => {
    const ring = parseReceiptKeys(`old:${ed25519()},new:${ed25519()}`, 'new');
    expect(ring.activeKeyId).toBe('new');
    expect(Object.keys(ring.keys)).toEqual(['old', 'new']);
    expect(ring.keys.new!.asymmetricKeyType).toBe('ed25519');
  });

  it.each([
    ['no key', '', undefined, /at least one key/],
    ['a bad id', `bad id:${ed25519()}`, undefined, /keyId/],
    ['not DER', 'k1:bm90LWEta2V5', undefined, /"k1" is not a PKCS#8/],
    [
      'another key type',
      `k1:${generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}`,
      undefined,
      /"k1" must be an Ed25519 key/,
    ],
    ['two keys, none active', `a:${ed25519()},b:${ed25519()}`, undefined, /ACTIVE_KEY_ID: required/],
    ['an unknown active key', `a:${ed25519()}`, 'b', /"b" is not a key id/],
  ])('refuses %s, naming no key material', (_what, raw, active, message) => {
    expect(() => parseReceiptKeys(raw, active)).toThrow(message);
  });

  it('has a development key outside production and demands one in production', () => {
    expect(loadConfig({}).deletion.receiptKeys.activeKeyId).toBe(DEV_RECEIPT_KEYS.split(':')[0]);
    expect(() =>
      loadConfig(
        {
          NODE_ENV: 'production',
          TRANSPORT_PRIVATE_NETWORK: 'true',
          VAULT_KEYS: `k:${Buffer.alloc(32).toString('base64')}`,
          CONTENT_INDEX_KEY: `i:${randomBytes(32).toString('base64')}`,
        },
        'worker',
      ),
    ).toThrow(/^DELETION_RECEIPT_KEYS: required in production/);
  });
});
