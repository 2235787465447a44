import { makeSafe, MAX_TEXT_LENGTH } from './safeValues';

describe('makeSafe', () => {
  it('leaves an ordinary record as it is, the same object', () => {
    const record = { subject: 'Hi 😀 — “quoted”', at: new Date(0), list: ['a'], nested: { n: 1.5 } };
    expect(makeSafe(record)).toEqual({ value: record, changed: false });
    expect(makeSafe(record).value).toBe(record);
  });

  it('strips NULs and replaces lone surrogates, in texts, arrays, nested values and keys', () => {
    const record = {
      subject: 'a\u0000b',
      to: ['x\uD800', '\uDC00y', '😀'],
      properties: { 'k\u0000ey': 'v\uDBFF\u0000' },
    };
    expect(makeSafe(record)).toEqual({
      value: { subject: 'ab', to: ['x\uFFFD', '\uFFFDy', '😀'], properties: { key: 'v\uFFFD' } },
      changed: true,
    });
  });

  it('makes invalid dates and non-finite numbers null', () => {
    expect(makeSafe({ at: new Date(Number.NaN), n: Infinity, m: Number.NaN, ok: 2 })).toEqual({
      value: { at: null, n: null, m: null, ok: 2 },
      changed: true,
    });
  });

  it('cuts absurdly long texts, without leaving half a surrogate pair', () => {
    const long = `${'x'.repeat(MAX_TEXT_LENGTH - 1)}😀tail`;
    const { value, changed } = makeSafe({ snippet: long });
    expect(changed).toBe(true);
    expect(value.snippet).toHaveLength(MAX_TEXT_LENGTH);
    expect(value.snippet.endsWith('x\uFFFD')).toBe(true);
  });
});
