import type { CalendarEventRecord, ContactRecord, CrmObjectRecord, EmailRecord } from '@crm-sync/core';
import {
  contactParticipants,
  crmObjectParticipants,
  emailParticipants,
  eventParticipants,
  normalizeAddress,
} from './participants';

test('an address is trimmed and lower-cased; anything not local@domain is no participant', () => {
  expect(normalizeAddress('  Alice@Example.COM ')).toBe('alice@example.com');
  expect(
    normalizeAddress('/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=ALICE'),
  ).toBeNull();
  expect(normalizeAddress('two words@example.com')).toBeNull();
  expect(normalizeAddress('')).toBeNull();
  expect(normalizeAddress(null)).toBeNull();
});

test('a mail gives one participant per person, with every header it is in', () => {
  const email = {
    fromAddress: 'Alice@example.com',
    toAddresses: ['bob@example.com', 'alice@EXAMPLE.com'],
    ccAddresses: ['carol@example.com', 'bob@example.com', 'not an address'],
    bccAddresses: ['dan@example.com'],
  } as EmailRecord;
  expect(emailParticipants(email)).toEqual([
    { address: 'alice@example.com', name: null, roles: ['from', 'to'], response: null },
    { address: 'bob@example.com', name: null, roles: ['cc', 'to'], response: null },
    { address: 'carol@example.com', name: null, roles: ['cc'], response: null },
    { address: 'dan@example.com', name: null, roles: ['bcc'], response: null },
  ]);
});

test('a meeting gives its organiser and attendees with their answers; malformed entries are passed over', () => {
  const event = {
    organizer: 'alice@example.com',
    attendees: [
      { email: 'Alice@example.com', name: 'Alice', type: 'required', response: 'accepted' },
      { email: 'bob@example.com', name: null, type: 'optional', response: 'declined' },
      { email: 42, name: 'Not a mailbox' },
      'bob@example.com',
      null,
      [],
    ],
  } as CalendarEventRecord;
  expect(eventParticipants(event)).toEqual([
    { address: 'alice@example.com', name: 'Alice', roles: ['attendee', 'organizer'], response: 'accepted' },
    { address: 'bob@example.com', name: null, roles: ['attendee'], response: 'declined' },
  ]);
});

test("a contact's addresses are its participants", () => {
  const contact = { emails: ['Erin@example.com', 'erin@example.com', 'erin@work.example'] } as ContactRecord;
  expect(contactParticipants(contact).map((p) => [p.address, p.roles])).toEqual([
    ['erin@example.com', ['contact']],
    ['erin@work.example', ['contact']],
  ]);
});

test("a CRM object's addresses are its participants, as a contact's; an object without any has none", () => {
  const person = { addresses: ['Maya@Acme.example', ' maya@acme.example ', 'maya@home.example', 'junk'] };
  expect(crmObjectParticipants(person as CrmObjectRecord).map((p) => [p.address, p.roles])).toEqual([
    ['maya@acme.example', ['contact']],
    ['maya@home.example', ['contact']],
  ]);
  expect(crmObjectParticipants({ addresses: [] } as unknown as CrmObjectRecord)).toEqual([]);
});
