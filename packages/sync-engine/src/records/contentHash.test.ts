import { createHash, randomBytes } from 'node:crypto';
import { IndexKeys } from '@crm-sync/vault';
import { canonicalJson, contentHash } from './contentHash';

const keys = new IndexKeys({ activeKeyId: 'k1', keys: { k1: randomBytes(32) } });
const hash = (record: unknown, connectionId = 'c1', indexKeys = keys) =>
  contentHash(indexKeys, connectionId, record);

describe('contentHash', () => {
  it('ignores key order, keeps array order', () => {
    expect(hash({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(hash({ b: { d: 'x', c: [1, 2] }, a: 1 }));
    expect(hash({ a: [1, 2] })).not.toBe(hash({ a: [2, 1] }));
  });

  it('serialises dates as instants and drops undefined like JSON', () => {
    const when = new Date('2026-01-02T03:04:05.000Z');
    expect(canonicalJson({ at: when, gone: undefined, list: [undefined] })).toBe(
      '{"at":"2026-01-02T03:04:05.000Z","list":[null]}',
    );
    expect(hash({ at: when })).toBe(hash({ at: new Date(when.getTime()) }));
  });

  it('tells a changed field apart, including null vs empty string', () => {
    expect(hash({ subject: null })).not.toBe(hash({ subject: '' }));
    expect(hash({ subject: 'a' })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is keyed: not the plain sha256, and different per connection and per secret', () => {
    const record = { subject: 'Quarterly numbers' };
    expect(hash(record)).not.toBe(createHash('sha256').update(canonicalJson(record)).digest('hex'));
    expect(hash(record, 'c2')).not.toBe(hash(record));
    const other = new IndexKeys({ activeKeyId: 'k1', keys: { k1: randomBytes(32) } });
    expect(hash(record, 'c1', other)).not.toBe(hash(record));
  });
});
