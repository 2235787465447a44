import type { Contact, Event, Message } from '@microsoft/microsoft-graph-types';
import { eventInstant, mapContact, mapEvent, mapMessage } from './map';
import { MAIL_BODY_DEFAULTS } from '../shared/mailBody';

// Samples shaped like Graph v1.0 delta items (docs examples), typed by the official typings so a drift fails tsc.
const message: Message = {
  id: 'AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A',
  conversationId: 'AAQkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgAQAFO6vB',
  from: { emailAddress: { name: 'Ada Lovelace', address: 'ada@contoso.com' } },
  sender: { emailAddress: { name: 'Assistant', address: 'assistant@contoso.com' } },
  toRecipients: [
    { emailAddress: { name: 'Grace', address: 'grace@fabrikam.com' } },
    { emailAddress: { name: 'No address' } },
  ],
  ccRecipients: [{ emailAddress: { address: 'alan@contoso.com' } }],
  subject: 'Renewal quote',
  sentDateTime: '2026-03-01T09:59:00Z',
  receivedDateTime: '2026-03-01T10:00:00Z',
  categories: ['Customer', 'Q2'],
  flag: { flagStatus: 'flagged' },
  importance: 'high',
  isRead: false,
  isDraft: false,
  bodyPreview: 'Hello, about the renewal quote.',
  body: { contentType: 'html', content: '<p>Hello, about the renewal quote.</p><p>&gt; earlier</p>' },
  uniqueBody: { contentType: 'html', content: '<p>Hello, about the renewal quote.</p>' },
  internetMessageId: '<renewal-1@contoso.com>',
  internetMessageHeaders: [
    { name: 'Message-ID', value: '<renewal-1@contoso.com>' },
    { name: 'in-reply-to', value: '<renewal-0@fabrikam.com>' },
    { name: 'References', value: '<root@fabrikam.com>\r\n <renewal-0@fabrikam.com>' },
  ],
};

test('a message maps every field the CRM keeps', () => {
  expect(mapMessage(message, MAIL_BODY_DEFAULTS, new Set(['grace@fabrikam.com']))).toEqual({
    externalId: message.id,
    threadId: message.conversationId,
    fromAddress: 'ada@contoso.com',
    toAddresses: ['grace@fabrikam.com'],
    ccAddresses: ['alan@contoso.com'],
    subject: 'Renewal quote',
    sentAt: new Date('2026-03-01T09:59:00Z'),
    labels: ['Customer', 'Q2', 'UNREAD', 'FLAGGED', 'IMPORTANT'],
    snippet: 'Hello, about the renewal quote.',
    bccAddresses: [],
    bodyText: null,
    bodyHtml: '<p>Hello, about the renewal quote.</p><p>&gt; earlier</p>',
    uniqueBody: '<p>Hello, about the renewal quote.</p>',
    bodyTruncated: false,
    messageId: message.internetMessageId,
    inReplyTo: '<renewal-0@fabrikam.com>',
    references: ['<root@fabrikam.com>', '<renewal-0@fabrikam.com>'],
    direction: 'received',
    attachments: [],
  });
});

test('a draft without sentDateTime or from falls back to received time and sender; empty strings are null', () => {
  const draft: Message = {
    id: 'm2',
    sender: { emailAddress: { address: 'me@contoso.com' } },
    receivedDateTime: '2026-03-02T08:00:00Z',
    sentDateTime: null,
    subject: '',
    bodyPreview: '',
    conversationId: null,
    isRead: true,
    isDraft: true,
    flag: { flagStatus: 'complete' },
    importance: 'normal',
  };
  expect(mapMessage(draft, MAIL_BODY_DEFAULTS, new Set(['me@contoso.com']))).toEqual({
    externalId: 'm2',
    threadId: null,
    fromAddress: 'me@contoso.com',
    toAddresses: [],
    ccAddresses: [],
    subject: null,
    sentAt: new Date('2026-03-02T08:00:00Z'),
    labels: ['DRAFT'],
    snippet: null,
    bccAddresses: [],
    bodyText: null,
    bodyHtml: null,
    uniqueBody: null,
    bodyTruncated: false,
    messageId: null,
    inReplyTo: null,
    references: [],
    direction: 'sent',
    attachments: [],
  });
});

test('an item without an id is refused (Graph always sends one)', () => {
  expect(() => mapMessage({ subject: 'x' }, MAIL_BODY_DEFAULTS, new Set())).toThrow(
    'Graph message without an id',
  );
});

const event: Event = {
  id: 'AAkALgEvent1',
  subject: 'Quarterly review',
  bodyPreview: 'Agenda: numbers',
  body: { contentType: 'html', content: '<p>Agenda: numbers</p>' },
  start: { dateTime: '2026-03-10T09:00:00.0000000', timeZone: 'UTC' },
  end: { dateTime: '2026-03-10T10:30:00.0000000', timeZone: 'UTC' },
  isAllDay: false,
  isCancelled: false,
  location: { displayName: 'Room 12' },
  organizer: { emailAddress: { name: 'Ada', address: 'ada@contoso.com' } },
  attendees: [
    {
      type: 'required',
      status: { response: 'accepted', time: '2026-03-01T00:00:00Z' },
      emailAddress: { name: 'Grace', address: 'grace@fabrikam.com' },
    },
    { type: 'optional', emailAddress: { address: 'alan@contoso.com' } },
  ],
};

test('an event maps times as UTC instants, the preview for an HTML body, and attendees as JSON', () => {
  expect(mapEvent(event)).toEqual({
    externalId: 'AAkALgEvent1',
    calendarId: null,
    title: 'Quarterly review',
    description: 'Agenda: numbers',
    location: 'Room 12',
    startsAt: new Date('2026-03-10T09:00:00Z'),
    endsAt: new Date('2026-03-10T10:30:00Z'),
    allDay: false,
    eventStatus: 'confirmed',
    organizer: 'ada@contoso.com',
    attendees: [
      { email: 'grace@fabrikam.com', name: 'Grace', type: 'required', response: 'accepted' },
      { email: 'alan@contoso.com', name: null, type: 'optional', response: null },
    ],
  });
});

test('a cancelled all-day event with a text body keeps the whole body', () => {
  const allDay: Event = {
    id: 'e2',
    isAllDay: true,
    isCancelled: true,
    body: { contentType: 'text', content: 'Full text body, longer than any preview.' },
    bodyPreview: 'Full text',
    start: { dateTime: '2026-04-01T00:00:00.0000000', timeZone: 'UTC' },
    end: { dateTime: '2026-04-02T00:00:00.0000000', timeZone: 'UTC' },
    location: { displayName: '' },
  };
  expect(mapEvent(allDay)).toMatchObject({
    description: 'Full text body, longer than any preview.',
    allDay: true,
    eventStatus: 'cancelled',
    location: null,
    organizer: null,
    attendees: [],
    startsAt: new Date('2026-04-01T00:00:00Z'),
  });
});

test.each([
  [{ dateTime: '2026-03-10T09:00:00.0000000', timeZone: 'UTC' }, '2026-03-10T09:00:00.000Z'],
  [{ dateTime: '2026-03-10T09:00:00.0000000', timeZone: null }, '2026-03-10T09:00:00.000Z'],
  [
    { dateTime: '2026-03-10T09:00:00+02:00', timeZone: 'W. Europe Standard Time' },
    '2026-03-10T07:00:00.000Z',
  ],
  [{ dateTime: '2026-03-10T09:00:00.0000000', timeZone: 'Pacific Standard Time' }, null],
  [{ dateTime: 'not a date', timeZone: 'UTC' }, null],
  [null, null],
])('event time %j → %s', (value, expected) => {
  expect(eventInstant(value)?.toISOString() ?? null).toBe(expected);
});

test('a contact maps names, every email and phone, company and title', () => {
  const contact: Contact = {
    id: 'AAkALgContact1',
    displayName: 'Grace Hopper',
    givenName: 'Grace',
    surname: 'Hopper',
    emailAddresses: [
      { name: 'Grace Hopper', address: 'grace@fabrikam.com' },
      { name: 'no address', address: '' },
      { address: 'g.hopper@navy.example' },
    ],
    businessPhones: ['+1 425 555 0100'],
    homePhones: ['+1 206 555 0199'],
    mobilePhone: '+1 206 555 0101',
    companyName: 'Fabrikam',
    jobTitle: 'CTO',
  };
  expect(mapContact(contact)).toEqual({
    externalId: 'AAkALgContact1',
    displayName: 'Grace Hopper',
    givenName: 'Grace',
    familyName: 'Hopper',
    emails: ['grace@fabrikam.com', 'g.hopper@navy.example'],
    phones: ['+1 425 555 0100', '+1 206 555 0101', '+1 206 555 0199'],
    company: 'Fabrikam',
    jobTitle: 'CTO',
  });
});

test('a contact with only an id maps to empty fields', () => {
  expect(mapContact({ id: 'c2', mobilePhone: null, emailAddresses: null })).toEqual({
    externalId: 'c2',
    displayName: null,
    givenName: null,
    familyName: null,
    emails: [],
    phones: [],
    company: null,
    jobTitle: null,
  });
});
