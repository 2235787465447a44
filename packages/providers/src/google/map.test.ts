import type { calendar_v3 } from 'googleapis/build/src/apis/calendar';
import type { people_v1 } from 'googleapis/build/src/apis/people';
import { parseAddressList } from './addresses';
import { isCancelled, isDeletedPerson, mapEvent, mapPerson, replacedResourceNames } from './map';

// Samples shaped like the APIs' documented responses, typed by googleapis so a drift fails tsc.

test.each([
  ['plain list', 'a@x.test, b@y.test', ['a@x.test', 'b@y.test']],
  ['quoted comma in a display name', '"Doe, Jane" <jane@x.test>, bob@y.test', ['jane@x.test', 'bob@y.test']],
  ['escaped quote', '"Say \\"hi\\", ok" <s@x.test>', ['s@x.test']],
  ['comment with a comma', 'c@x.test (Carol, Sales)', ['c@x.test']],
  ['angle address followed by a comment', 'Dan <d@x.test> (work)', ['d@x.test']],
  ['group with members', 'Team: a@x.test, B <b@x.test>;, z@x.test', ['a@x.test', 'b@x.test', 'z@x.test']],
  ['empty group (undisclosed recipients)', 'undisclosed-recipients:;', []],
  ['junk without an @ is dropped', 'not an address, e@x.test', ['e@x.test']],
  ['empty header', '', []],
])('address list: %s', (_name, header, expected) => {
  expect(parseAddressList(header)).toEqual(expected);
});

const event: calendar_v3.Schema$Event = {
  kind: 'calendar#event',
  etag: '"3412345678901234"',
  id: 'evt123_20260301T100000Z',
  status: 'confirmed',
  summary: 'Quarterly review',
  description: 'Agenda: numbers',
  location: 'Room 4',
  created: '2026-02-01T09:00:00.000Z',
  updated: '2026-02-02T09:00:00.000Z',
  organizer: { email: 'ada@example.com', self: true },
  start: { dateTime: '2026-03-01T11:00:00+01:00', timeZone: 'Europe/Paris' },
  end: { dateTime: '2026-03-01T12:30:00+01:00', timeZone: 'Europe/Paris' },
  recurringEventId: 'evt123',
  attendees: [
    { email: 'ada@example.com', self: true, organizer: true, responseStatus: 'accepted' },
    { email: 'grace@example.org', displayName: 'Grace', optional: true, responseStatus: 'tentative' },
    { email: 'room4@resource.calendar.google.com', resource: true, responseStatus: 'accepted' },
  ],
};

test('a timed event maps with instants taken from its offsets', () => {
  expect(mapEvent(event, 'primary')).toEqual({
    externalId: 'evt123_20260301T100000Z',
    calendarId: 'primary',
    title: 'Quarterly review',
    description: 'Agenda: numbers',
    location: 'Room 4',
    startsAt: new Date('2026-03-01T10:00:00Z'),
    endsAt: new Date('2026-03-01T11:30:00Z'),
    allDay: false,
    eventStatus: 'confirmed',
    organizer: 'ada@example.com',
    attendees: [
      { email: 'ada@example.com', name: null, type: 'required', response: 'accepted' },
      { email: 'grace@example.org', name: 'Grace', type: 'optional', response: 'tentative' },
      { email: 'room4@resource.calendar.google.com', name: null, type: 'resource', response: 'accepted' },
    ],
  });
  expect(isCancelled(event)).toBe(false);
});

test('an all-day event keeps its dates as UTC midnights; a cancelled one is recognised', () => {
  const allDay: calendar_v3.Schema$Event = {
    id: 'holiday',
    status: 'confirmed',
    start: { date: '2026-12-24' },
    end: { date: '2026-12-26' },
  };
  expect(mapEvent(allDay, 'primary')).toMatchObject({
    startsAt: new Date('2026-12-24T00:00:00Z'),
    endsAt: new Date('2026-12-26T00:00:00Z'),
    allDay: true,
    title: null,
    organizer: null,
    attendees: [],
  });
  expect(isCancelled({ kind: 'calendar#event', id: 'gone', status: 'cancelled' })).toBe(true);
});

const person: people_v1.Schema$Person = {
  resourceName: 'people/c1234567890',
  etag: '%EgUBAgMFBxoEAQIFByIMN2tYZ2x5dDRQdWc9',
  metadata: { sources: [{ type: 'CONTACT', id: '1234567890', etag: '#abc' }], objectType: 'PERSON' },
  names: [
    {
      metadata: { primary: false, source: { type: 'PROFILE', id: '1' } },
      displayName: 'Gracie',
      givenName: 'Gracie',
    },
    {
      metadata: { primary: true, source: { type: 'CONTACT', id: '1234567890' } },
      displayName: 'Grace Hopper',
      givenName: 'Grace',
      familyName: 'Hopper',
    },
  ],
  emailAddresses: [
    { metadata: { primary: true }, value: 'grace@navy.example', type: 'work' },
    { value: 'grace@home.example', type: 'home' },
  ],
  phoneNumbers: [{ value: '+1 555 0100', canonicalForm: '+15550100', type: 'mobile' }, { value: '' }],
  organizations: [{ metadata: { primary: true }, name: 'US Navy', title: 'Rear Admiral' }],
};

test('a person maps its primary name and organization and every address and phone', () => {
  expect(mapPerson(person)).toEqual({
    externalId: 'people/c1234567890',
    displayName: 'Grace Hopper',
    givenName: 'Grace',
    familyName: 'Hopper',
    emails: ['grace@navy.example', 'grace@home.example'],
    phones: ['+1 555 0100'],
    company: 'US Navy',
    jobTitle: 'Rear Admiral',
  });
  expect(isDeletedPerson(person)).toBe(false);
});

test('a person with no fields maps to nulls; a deleted one is recognised', () => {
  const deleted: people_v1.Schema$Person = {
    resourceName: 'people/c99',
    etag: '%Eg',
    metadata: { deleted: true, sources: [{ type: 'CONTACT', id: '99' }] },
  };
  expect(mapPerson(deleted)).toEqual({
    externalId: 'people/c99',
    displayName: null,
    givenName: null,
    familyName: null,
    emails: [],
    phones: [],
    company: null,
    jobTitle: null,
  });
  expect(isDeletedPerson(deleted)).toBe(true);
});

test('a relinked contact names the resourceNames it replaces', () => {
  const relinked: people_v1.Schema$Person = {
    resourceName: 'people/c2',
    metadata: { previousResourceNames: ['people/c1', 'people/c2'], sources: [{ type: 'CONTACT', id: '2' }] },
  };
  expect(replacedResourceNames(relinked)).toEqual(['people/c1']);
  expect(replacedResourceNames(person)).toEqual([]);
});
