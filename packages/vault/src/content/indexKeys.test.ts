import { createHash, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { IndexKeys, TERM_BYTES } from './indexKeys';

const secret = randomBytes(32);
const keys = new IndexKeys({ activeKeyId: 'i1', keys: { i1: secret } });

describe('IndexKeys', () => {
  it('gives one term per tenant, purpose and value', () => {
    const term = keys.term('address', 'tenant-a', 'alice@example.com');
    expect(term).toHaveLength(TERM_BYTES);
    expect(keys.term('address', 'tenant-a', 'alice@example.com').equals(term)).toBe(true);
    expect(keys.term('address', 'tenant-b', 'alice@example.com').equals(term)).toBe(false);
    expect(keys.term('address', 'tenant-a', 'bob@example.com').equals(term)).toBe(false);
    expect(keys.hash('content-hash', 'tenant-a', 'alice@example.com').startsWith(term.toString('hex'))).toBe(
      false,
    );
  });

  it('is keyed: another secret gives other terms, and no plain hash of the value matches', () => {
    const other = new IndexKeys({ activeKeyId: 'i1', keys: { i1: randomBytes(32) } });
    const value = 'alice@example.com';
    expect(other.term('address', 't', value).equals(keys.term('address', 't', value))).toBe(false);
    const plain = createHash('sha256').update(value).digest().subarray(0, TERM_BYTES);
    expect(keys.term('address', 't', value).equals(plain)).toBe(false);
  });

  it('looks up under every key of the ring while a rotation is under way', () => {
    const rotated = new IndexKeys({ activeKeyId: 'i2', keys: { i1: secret, i2: randomBytes(32) } });
    const before = keys.term('address', 't', 'alice@example.com');
    const after = rotated.term('address', 't', 'alice@example.com');
    expect(after.equals(before)).toBe(false);
    const terms = rotated.lookupTerms('address', 't', 'alice@example.com');
    expect(terms.some((t) => t.equals(before))).toBe(true);
    expect(terms.some((t) => t.equals(after))).toBe(true);
  });

  it('hashes content per scope', () => {
    const a = keys.hash('content-hash', 'conn-1', '{"subject":"x"}');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(keys.hash('content-hash', 'conn-1', '{"subject":"x"}')).toBe(a);
    expect(keys.hash('content-hash', 'conn-2', '{"subject":"x"}')).not.toBe(a);
  });

  it('shows key ids only when logged', () => {
    const shown = inspect(keys, { depth: 5, showHidden: true }) + JSON.stringify(keys);
    expect(shown).not.toContain(secret.toString('hex'));
    expect(shown).not.toContain(secret.toString('base64'));
  });
});
