import { matchesGroups, parseFilterGroups } from './filters';
import { parseSearch } from './search';

const props = {
  firstname: 'Maya',
  email: 'maya.okafor@acme.example',
  amount: '1200',
  phone: null,
  lastmodifieddate: '2026-01-10T12:00:00.000Z',
};
const at = Date.parse('2026-01-10T12:00:00.000Z');
const read = (name: string) =>
  name === 'createdate' ? at - 1000 : (props[name as keyof typeof props] ?? null);

test.each([
  [{ propertyName: 'firstname', operator: 'EQ', value: 'maya' }, true],
  [{ propertyName: 'firstname', operator: 'NEQ', value: 'Maya' }, false],
  [{ propertyName: 'amount', operator: 'GT', value: '999' }, true],
  [{ propertyName: 'amount', operator: 'LT', value: 999 }, false],
  [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: String(at) }, true],
  [{ propertyName: 'lastmodifieddate', operator: 'GT', value: String(at) }, false],
  [{ propertyName: 'createdate', operator: 'LT', value: '2026-01-10T12:00:00.000Z' }, true],
  [{ propertyName: 'lastmodifieddate', operator: 'LTE', value: '2026-01-10T12:00:00.000Z' }, true],
  [
    {
      propertyName: 'lastmodifieddate',
      operator: 'BETWEEN',
      value: String(at - 1),
      highValue: String(at + 1),
    },
    true,
  ],
  [{ propertyName: 'firstname', operator: 'IN', values: ['liam', 'maya'] }, true],
  [{ propertyName: 'firstname', operator: 'NOT_IN', values: ['maya'] }, false],
  [{ propertyName: 'phone', operator: 'HAS_PROPERTY' }, false],
  [{ propertyName: 'phone', operator: 'NOT_HAS_PROPERTY' }, true],
  [{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: 'okaf*' }, true],
  [{ propertyName: 'email', operator: 'NOT_CONTAINS_TOKEN', value: 'acme' }, false],
])('%j → %s', (filter, expected) => {
  const groups = parseFilterGroups([{ filters: [filter] }]);
  if (typeof groups === 'string') throw new Error(groups);
  expect(matchesGroups(groups, read)).toBe(expected);
});

test('groups are ORed, filters inside a group ANDed', () => {
  const yes = { propertyName: 'firstname', operator: 'EQ', value: 'maya' };
  const no = { propertyName: 'firstname', operator: 'EQ', value: 'liam' };
  const parse = (raw: unknown) =>
    parseFilterGroups(raw) as Exclude<ReturnType<typeof parseFilterGroups>, string>;
  expect(matchesGroups(parse([{ filters: [yes, no] }]), read)).toBe(false);
  expect(matchesGroups(parse([{ filters: [no] }, { filters: [yes] }]), read)).toBe(true);
});

test('unknown operators and malformed bodies are validation messages', () => {
  expect(parseFilterGroups([{ filters: [{ propertyName: 'a', operator: 'LIKE' }] }])).toMatch(
    /Unknown filter operator/,
  );
  expect(parseSearch({ sorts: ['a', 'b'] })).toMatch(/one sort/);
  expect(parseSearch({ query: 'q'.repeat(3001) })).toMatch(/too long/);
  expect(parseSearch({ sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }] })).toMatchObject({
    sort: { propertyName: 'createdate', descending: true },
  });
});
