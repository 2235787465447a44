import { decodeIds, encodeIds, numericIds } from './ledger';

it('round-trips sparse and consecutive ids as compact runs', () => {
  const ids = [5, 1_000_001, 1_000_002, 1_000_003, 1_000_010, 98_765_432_101];
  const text = encodeIds([...ids].reverse());
  expect(text).toBe('5,lflo+2,7,19ddsjiz');
  expect([...decodeIds(text)!]).toEqual(ids);
  expect(encodeIds(Array.from({ length: 50_000 }, (_, i) => 2_000_001 + i))).toBe('16v7l+12kv');
  expect(decodeIds('')).toEqual(new Set());
});

it('refuses text that is not an encoded set; keeps only numeric ids', () => {
  expect(decodeIds('1,x+')).toBeUndefined();
  expect(decodeIds('1;2')).toBeUndefined();
  expect(numericIds(['12', 'abc', '', '3'])).toEqual([12, 3]);
});
