import { applySelection, FieldsSyntaxError, parseFields } from './selection';
import { GOOGLE_RESPONSE_SCHEMAS } from './responseSchemas';
import { unknownField } from './schema';

const page = {
  kind: 'calendar#events',
  nextPageToken: 'p2',
  items: [
    {
      id: 'a',
      etag: '"1"',
      summary: 'A',
      start: { dateTime: 't1', timeZone: 'UTC' },
      attendees: [{ email: 'x' }],
    },
    { id: 'b', etag: '"2"', status: 'cancelled' },
  ],
};
const select = (fields: string) => applySelection(page, parseFields(fields));

test('comma lists, a/b paths, parentheses and wildcards select like Google', () => {
  expect(select('nextPageToken')).toEqual({ nextPageToken: 'p2' });
  expect(select('items(id,etag),nextPageToken')).toEqual({
    nextPageToken: 'p2',
    items: [
      { id: 'a', etag: '"1"' },
      { id: 'b', etag: '"2"' },
    ],
  });
  expect(select('items/start/dateTime,items/id')).toEqual({
    items: [{ id: 'a', start: { dateTime: 't1' } }, { id: 'b' }],
  });
  expect(select('items(id,attendees(email))')).toEqual({
    items: [{ id: 'a', attendees: [{ email: 'x' }] }, { id: 'b' }],
  });
  expect(select('items/*')).toEqual({ items: page.items });
  expect(select('items(id),items/status')).toEqual({
    items: [{ id: 'a' }, { id: 'b', status: 'cancelled' }],
  });
  expect(select('items')).toEqual({ items: page.items });
});

test('malformed selections are syntax errors', () => {
  for (const bad of ['', 'items(', 'items(id', 'items)', 'a,,b', 'items/', '(id)', 'items(id)x']) {
    expect(() => parseFields(bad)).toThrow(FieldsSyntaxError);
  }
});

test('a name the response type lacks is reported, at any depth; field names are case-sensitive', () => {
  const events = GOOGLE_RESPONSE_SCHEMAS['calendar.events.list']!;
  expect(unknownField(parseFields('items(id,etag),nextPageToken,nextSyncToken'), events)).toBeUndefined();
  expect(unknownField(parseFields('pagetoken,items(id)'), events)).toBe('pagetoken');
  expect(unknownField(parseFields('items(id,subject)'), events)).toBe('subject');
  expect(unknownField(parseFields('items/start/hour'), events)).toBe('hour');
  expect(unknownField(parseFields('NextPageToken'), events)).toBe('NextPageToken');
  expect(unknownField(parseFields('items/*'), events)).toBeUndefined();
  expect(unknownField(parseFields('items/extendedProperties/private'), events)).toBeUndefined();
});
