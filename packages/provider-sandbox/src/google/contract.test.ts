import { type calendar_v3, type drive_v3, type gmail_v1, type people_v1 } from 'googleapis';
import { createAccountStore } from '../core/accounts';
import { calendarListEntry, renderCancelled, renderEvent } from './calendar/render';
import { calendarEvents } from './calendar/generate';
import { driveFiles } from './drive/generate';
import { renderFile } from './drive/render';
import { peopleContacts } from './people/generate';
import { gmailMessages } from './gmail/generate';
import { renderMessage } from './gmail/render';
import { PERSON_FIELDS, renderDeleted, renderPerson } from './people/render';

// These assignments are the contract: if a renderer drifts from the googleapis types, `tsc` fails.
const account = createAccountStore({ now: () => Date.UTC(2026, 0, 1) }).create({
  provider: 'google',
  email: 'c@example.com',
  seed: 7,
});
const stored = <T>(data: T, id: string) => ({ id, ordinal: 0, seq: 1234, data });

test('Gmail messages in every format are gmail_v1.Schema$Message', () => {
  const item = stored(gmailMessages.make(account, 0, 10), gmailMessages.idFor(account, 0));
  const formats: gmail_v1.Schema$Message[] = [
    renderMessage(item, 'minimal', []),
    renderMessage(item, 'metadata', ['Subject']),
    renderMessage(item, 'full', []),
    renderMessage(item, 'raw', []),
  ];
  expect(formats.map((m) => m.historyId)).toEqual(['1234', '1234', '1234', '1234']);
  expect(formats[1]?.payload?.headers).toEqual([{ name: 'Subject', value: expect.stringContaining('#0') }]);
  expect(Buffer.from(formats[3]?.raw as string, 'base64url').toString()).toMatch(
    /^MIME-Version: 1\.0\r\n(.*\r\n)*From: /,
  );
});

test('Calendar events, cancellations and list entries match calendar_v3 types', () => {
  const item = stored(calendarEvents.make(account, 0, 10), calendarEvents.idFor(account, 0));
  const event: calendar_v3.Schema$Event = renderEvent(account, item);
  const cancelled: calendar_v3.Schema$Event = renderCancelled(account, item.id, 1235);
  const entry: calendar_v3.Schema$CalendarListEntry = calendarListEntry(account);
  expect(Date.parse(event.end?.dateTime as string)).toBeGreaterThan(
    Date.parse(event.start?.dateTime as string),
  );
  expect(cancelled.status).toBe('cancelled');
  expect(entry.primary).toBe(true);
});

test('People persons and deletions are people_v1.Schema$Person', () => {
  const item = stored(peopleContacts.make(account, 0, 10), peopleContacts.idFor(account, 0));
  const person: people_v1.Schema$Person = renderPerson(item, PERSON_FIELDS, new Date(0).toISOString());
  const deleted: people_v1.Schema$Person = renderDeleted(item.id, 1236);
  expect(person.emailAddresses?.[0]?.value).toContain('@');
  expect(deleted.metadata?.deleted).toBe(true);
});

test('ids round-trip through ordinalOf, and generation is deterministic', () => {
  for (const generator of [gmailMessages, calendarEvents, peopleContacts]) {
    expect(generator.ordinalOf(account, generator.idFor(account, 98_765))).toBe(98_765);
    expect(generator.ordinalOf(account, 'nonsense')).toBeUndefined();
  }
  expect(gmailMessages.make(account, 5, 10)).toEqual(gmailMessages.make(account, 5, 10));
});

test('Drive files are drive_v3.Schema$File', () => {
  const item = stored(driveFiles.make(account, 0, 3), driveFiles.idFor(account, 0));
  const file: drive_v3.Schema$File = renderFile('http://sandbox', account, item);
  expect(file.owners?.[0]?.emailAddress).toBe('c@example.com');
});
