import { expectConformant } from '../../test/conformance/fixtures';
import { shapeDifferences } from '../../test/conformance/shape';

test('same names and types, different values: no difference', () => {
  expect(
    shapeDifferences({ a: 'x', n: 1, list: [{ b: true }] }, { a: 'y', n: 2, list: [{ b: false }] }),
  ).toEqual([]);
});

test('missing, extra and retyped fields are reported with their paths, recursively', () => {
  const ours = { id: 'a', body: { size: '1' }, parts: [{ partId: '0', extra: 1 }] };
  const real = { id: 'a', body: { size: 1, data: 'eA' }, parts: [{ partId: '0', filename: '' }] };
  expect(shapeDifferences(ours, real)).toEqual([
    { kind: 'type', path: 'body.size', detail: 'sandbox string, real number' },
    { kind: 'missing', path: 'body.data', detail: 'real response has it' },
    { kind: 'missing', path: 'parts[].filename', detail: 'real response has it' },
    { kind: 'extra', path: 'parts[].extra', detail: 'not in the real response' },
  ]);
});

test('array elements merge: a field on any element counts, and null matches any type', () => {
  const real = {
    value: [
      { id: 'a', parts: [{ x: 1 }] },
      { id: 'b', '@removed': { reason: 'deleted' } },
    ],
  };
  const ours = {
    value: [
      { id: 'c', '@removed': { reason: 'deleted' } },
      { id: 'd', parts: [{ x: null }] },
    ],
  };
  expect(shapeDifferences(ours, real)).toEqual([]);
  expect(shapeDifferences({ value: [{ id: 'c' }] }, real).map((d) => d.path)).toEqual([
    'value[].parts',
    'value[].@removed',
  ]);
});

test('an empty array says nothing about element shapes', () => {
  expect(shapeDifferences({ items: [] }, { items: [{ id: 'a' }] })).toEqual([]);
});

test('allowances excuse a difference, and a stale allowance fails', () => {
  const real = { a: 1, b: 2 };
  expect(() => expectConformant({ a: 1 }, real)).toThrow(/missing b/);
  expect(() => expectConformant({ a: 1 }, real, [{ kind: 'missing', path: 'b', why: 'test' }])).not.toThrow();
  expect(() => expectConformant(real, real, [{ kind: 'missing', path: 'b', why: 'test' }])).toThrow(
    /allowance no longer needed: missing b/,
  );
});
