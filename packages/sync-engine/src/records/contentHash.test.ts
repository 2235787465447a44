import { canonicalJson, contentHash } from './contentHash';

describe('contentHash', () => {
  it('ignores key order, keeps array order', () => {
    expect(contentHash({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(
      contentHash({ b: { d: 'x', c: [1, 2] }, a: 1 }),
    );
    expect(contentHash({ a: [1, 2] })).not.toBe(contentHash({ a: [2, 1] }));
  });

  it('serialises dates as instants and drops undefined like JSON', () => {
    const when = new Date('2026-01-02T03:04:05.000Z');
    expect(canonicalJson({ at: when, gone: undefined, list: [undefined] })).toBe(
      '{"at":"2026-01-02T03:04:05.000Z","list":[null]}',
    );
    expect(contentHash({ at: when })).toBe(contentHash({ at: new Date(when.getTime()) }));
  });

  it('tells a changed field apart, including null vs empty string', () => {
    expect(contentHash({ subject: null })).not.toBe(contentHash({ subject: '' }));
    expect(contentHash({ subject: 'a' })).toMatch(/^[0-9a-f]{64}$/);
  });
});
