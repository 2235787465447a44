import { parsePrefer, preferenceApplied } from './prefer';
import { parseSelect, project } from './select';

test.each([
  [undefined, { maxPageSize: undefined, immutableIds: false }],
  ['odata.maxpagesize=50', { maxPageSize: 50, immutableIds: false }],
  ['IdType="ImmutableId", odata.maxpagesize=5', { maxPageSize: 5, immutableIds: true }],
  [['odata.maxpagesize=0', 'outlook.timezone="UTC"'], { maxPageSize: undefined, immutableIds: false }],
  ['odata.maxpagesize=abc', { maxPageSize: undefined, immutableIds: false }],
])('Prefer %j', (header, expected) => {
  expect(parsePrefer(header)).toEqual(expected);
});

test('Preference-Applied names what was honoured', () => {
  expect(preferenceApplied({ maxPageSize: 5, immutableIds: true }, 5)).toBe(
    'odata.maxpagesize=5, IdType="ImmutableId"',
  );
});

test('$select keeps id and annotations, matches names case-insensitively', () => {
  const item = { id: '1', '@odata.etag': 'W/"x"', subject: 's', isRead: true, body: {} };
  expect(project(item, parseSelect('Subject, isread'))).toEqual({
    id: '1',
    '@odata.etag': 'W/"x"',
    subject: 's',
    isRead: true,
  });
  expect(project(item, parseSelect(''))).toBe(item);
});
