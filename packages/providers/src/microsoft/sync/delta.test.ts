import { ClassifiedProviderError, type SyncRequest } from '@crm-sync/core';
import type { Contact } from '@microsoft/microsoft-graph-types';
import { mapContact } from '../map';
import { calendarFirstRequest } from './calendar';
import { CONTACTS_FIRST_REQUEST } from './contacts';
import { storedLink, toPage } from './delta';
import { mailFirstRequest, mailListed, mailWindow } from './mail';

const ORIGIN = 'https://graph.microsoft.com';
const NEXT = `${ORIGIN}/v1.0/me/contacts/delta?$skiptoken=abc`;
const DELTA = `${ORIGIN}/v1.0/me/contacts/delta?$deltatoken=xyz`;

describe('toPage', () => {
  const page = (body: Parameters<typeof toPage>[1]) => toPage<'contacts', Contact>({ map: mapContact }, body);

  it('splits items and removals, and a next link continues the round', () => {
    const result = page({
      value: [
        { id: 'a', displayName: 'A' },
        { id: 'b', '@removed': { reason: 'deleted' } },
      ],
      '@odata.nextLink': NEXT,
    });
    expect(result.upserts.map((r) => [r.externalId, r.displayName])).toEqual([['a', 'A']]);
    expect(result.deletes).toEqual(['b']);
    expect(result.next).toEqual({ kind: 'more', continuation: { nextLink: NEXT } });
  });

  it('the last mention of an item within a page wins', () => {
    const result = page({
      value: [
        { id: 'a', displayName: 'first' },
        { id: 'b', '@removed': { reason: 'deleted' } },
        { id: 'a', displayName: 'second' },
        { id: 'c', displayName: 'gone soon' },
        { id: 'c', '@removed': { reason: 'deleted' } },
        { id: 'b', displayName: 'back' },
      ],
      '@odata.deltaLink': DELTA,
    });
    expect(result.upserts.map((r) => [r.externalId, r.displayName])).toEqual([
      ['a', 'second'],
      ['b', 'back'],
    ]);
    expect(result.deletes).toEqual(['c']);
    expect(result.next).toEqual({ kind: 'caught_up', cursor: DELTA });
  });

  it('keep drops items outside a client-side window without reporting them; removals always pass', () => {
    const result = toPage<'contacts', Contact>(
      { map: mapContact },
      {
        value: [
          { id: 'in', displayName: 'in' },
          { id: 'out', displayName: 'out' },
          { id: 'gone', '@removed': { reason: 'deleted' } },
        ],
        '@odata.deltaLink': DELTA,
      },
      (contact) => contact.displayName !== 'out',
    );
    expect(result.upserts.map((r) => r.externalId)).toEqual(['in']);
    expect(result.deletes).toEqual(['gone']);
  });

  it('an empty page that is not the last still continues', () => {
    expect(page({ value: [], '@odata.nextLink': NEXT })).toEqual({
      upserts: [],
      deletes: [],
      next: { kind: 'more', continuation: { nextLink: NEXT } },
    });
  });

  it.each([
    [{ value: [] }, 'Graph delta page without a next or delta link'],
    [{ '@odata.deltaLink': DELTA }, 'Graph delta page without a value array'],
    [{ value: [{ '@removed': {} }], '@odata.deltaLink': DELTA }, 'Graph delta removal without an id'],
  ])('refuses a malformed page %j', (body, message) => {
    expect(() => page(body)).toThrow(message);
  });
});

describe('storedLink', () => {
  const position = (p: Partial<Parameters<typeof storedLink>[0]>) => ({
    mode: 'full' as const,
    cursor: null,
    continuation: null,
    ...p,
  });

  it('resumes from the continuation, else an incremental round starts at the cursor, else a new round', () => {
    expect(storedLink(position({ continuation: { nextLink: NEXT }, cursor: DELTA }), ORIGIN)).toBe(NEXT);
    expect(storedLink(position({ mode: 'incremental', cursor: DELTA }), ORIGIN)).toBe(DELTA);
    // A full round ignores an old cursor; an incremental position without one can only start over.
    expect(storedLink(position({ cursor: DELTA }), ORIGIN)).toBeUndefined();
    expect(storedLink(position({ mode: 'incremental' }), ORIGIN)).toBeUndefined();
  });

  it.each([
    [
      'another origin',
      position({ mode: 'incremental', cursor: 'https://evil.example/v1.0/me/contacts/delta' }),
    ],
    ['http instead of https', position({ continuation: { nextLink: NEXT.replace('https:', 'http:') } })],
    ['not a URL', position({ mode: 'incremental', cursor: 'deltatoken-only' })],
    ['a continuation without nextLink', position({ continuation: { page: 2 } })],
  ])('refuses %s as cursor_expired, so the token never follows it', (_name, p) => {
    let thrown: unknown;
    try {
      storedLink(p, ORIGIN);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ClassifiedProviderError);
    expect((thrown as ClassifiedProviderError).classification).toEqual({ kind: 'cursor_expired' });
  });
});

describe('first requests', () => {
  const request: SyncRequest = {
    accessToken: 't',
    position: { mode: 'full', cursor: null, continuation: null },
    now: new Date('2026-03-31T12:34:56.789Z'),
    initialWindowDays: 30,
  };

  it('mail: the inbox, selected fields, no $filter (capped at 5,000 by Graph); the window is applied here', () => {
    expect(mailFirstRequest('inbox')).toEqual({
      path: '/me/mailFolders/inbox/messages/delta',
      select: expect.arrayContaining(['conversationId', 'receivedDateTime', 'from', 'bodyPreview']),
    });
    const window = mailWindow(request);
    expect(window).toEqual({ after: new Date('2026-03-01T12:34:56Z'), before: null });
    expect(mailListed({ receivedDateTime: '2026-03-01T12:34:56Z' }, window)).toBe(true);
    expect(mailListed({ receivedDateTime: '2026-03-01T12:34:55Z' }, window)).toBe(false);
    expect(mailListed({}, window)).toBe(true);
  });

  it('calendar: a window from initialWindowDays back to a year ahead', () => {
    expect(calendarFirstRequest(request)).toEqual({
      path: '/me/calendarView/delta',
      query: { startDateTime: '2026-03-01T12:34:56Z', endDateTime: '2027-03-31T12:34:56Z' },
    });
  });

  it('contacts: the default folder, no window', () => {
    expect(CONTACTS_FIRST_REQUEST).toMatchObject({ path: '/me/contacts/delta' });
    expect(CONTACTS_FIRST_REQUEST).not.toHaveProperty('filter');
  });
});
