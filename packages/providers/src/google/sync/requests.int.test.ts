import { type ResourceSyncer } from '@crm-sync/core';
import {
  connectAccount,
  FULL,
  incremental,
  runRound,
  startGoogleHarness,
  type GoogleHarness,
} from '../../../test/google/harness';

// What each syncer asks Google, read off the wire: parameters that change results (windows, formats, headers,
// page sizes, sync-token requests) are easy to lose without any listing test noticing against a lenient server.

let h: GoogleHarness;
let token = '';
const seen: URL[] = [];
let inFlight = 0;
let peakGets = 0;

const recording: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  seen.push(url);
  const isGet = /\/messages\/[^/]+$/.test(url.pathname);
  if (isGet) peakGets = Math.max(peakGets, ++inFlight);
  try {
    return await fetch(input, init);
  } finally {
    if (isGet) inFlight--;
  }
};

const NOW = new Date();
const options = () => ({ accessToken: token, now: NOW, initialWindowDays: 7 });
const sync = (resource: 'mail' | 'calendar' | 'contacts') =>
  h.adapterWith(recording).sync?.[resource] as ResourceSyncer;
/** Query parameters sorted by name, then value (repeated keys are arrays on the wire). */
const query = (url: URL) =>
  [...url.searchParams].sort(([a, x], [b, y]) => a.localeCompare(b) || x.localeCompare(y));

beforeAll(async () => {
  h = await startGoogleHarness({
    gmailPageSize: 100,
    gmailConcurrency: 5,
    calendarPageSize: 50,
    peoplePageSize: 40,
  });
  const sizes = { messages: 120, events: 60, contacts: 50 };
  token = (await connectAccount(h, 'requests@example.com', sizes)).accessToken;
});
afterAll(() => h.close());
beforeEach(() => {
  seen.length = 0;
});

test('Gmail: profile first, then a windowed list and raw gets, at most `concurrency` in flight', async () => {
  const round = await runRound(sync('mail'), FULL, options());
  const after = Math.floor((NOW.getTime() - 7 * 86_400_000) / 1000);
  expect(seen[0]!.pathname).toBe('/gmail/v1/users/me/profile');
  expect(query(seen[0]!)).toEqual([['fields', 'historyId']]);
  expect(query(seen[1]!)).toEqual([
    ['fields', 'messages/id,nextPageToken'],
    ['maxResults', '100'],
    ['q', `after:${after}`],
  ]);
  const get = seen.find((u) => /\/messages\/[^/]+$/.test(u.pathname))!;
  expect(query(get)).toEqual([
    ['fields', 'id,threadId,labelIds,snippet,internalDate,raw'],
    ['format', 'raw'],
  ]);
  // The second list page repeats the same query with the page token.
  const lists = seen.filter((u) => u.pathname === '/gmail/v1/users/me/messages');
  expect(lists).toHaveLength(2);
  expect(lists[1]!.searchParams.get('q')).toBe(`after:${after}`);
  expect(lists[1]!.searchParams.get('pageToken')).toEqual(expect.any(String));
  expect(peakGets).toBe(5);

  seen.length = 0;
  await runRound(sync('mail'), incremental(round.cursor), options());
  expect(seen.map((u) => [u.pathname, query(u)])).toEqual([
    [
      '/gmail/v1/users/me/history',
      [
        [
          'fields',
          'history(messagesAdded/message/id,labelsAdded/message/id,labelsRemoved/message/id,' +
            'messagesDeleted/message/id),nextPageToken,historyId',
        ],
        ['historyTypes', 'labelAdded'],
        ['historyTypes', 'labelRemoved'],
        ['historyTypes', 'messageAdded'],
        ['historyTypes', 'messageDeleted'],
        ['maxResults', '100'],
        ['startHistoryId', round.cursor],
      ],
    ],
  ]);
});

const EVENT_FIELDS =
  'items(id,status,summary,description,location,start,end,organizer/email,' +
  'attendees(email,displayName,resource,optional,responseStatus)),nextPageToken,nextSyncToken';

test('Calendar: timeMin, singleEvents and showDeleted on the full round; the sync token alone after it', async () => {
  const round = await runRound(sync('calendar'), FULL, options());
  const timeMin = new Date(NOW.getTime() - 7 * 86_400_000).toISOString();
  expect(query(seen[0]!)).toEqual([
    ['fields', EVENT_FIELDS],
    ['maxResults', '50'],
    ['showDeleted', 'true'],
    ['singleEvents', 'true'],
    ['timeMin', timeMin],
  ]);
  seen.length = 0;
  await runRound(sync('calendar'), incremental(round.cursor), options());
  expect(query(seen[0]!)).toEqual([
    ['fields', EVENT_FIELDS],
    ['maxResults', '50'],
    ['showDeleted', 'true'],
    ['singleEvents', 'true'],
    ['syncToken', round.cursor],
  ]);
});

test('People: the field masks and requestSyncToken on every call, full and incremental', async () => {
  const round = await runRound(sync('contacts'), FULL, options());
  expect(seen).toHaveLength(2);
  const fields = ['pageSize', '40'];
  for (const url of seen) {
    expect(url.pathname).toBe('/v1/people/me/connections');
    expect(url.searchParams.get('personFields')).toBe(
      'names,emailAddresses,phoneNumbers,organizations,metadata',
    );
    expect(url.searchParams.get('requestSyncToken')).toBe('true');
    expect(url.searchParams.get('fields')).toBe(
      'connections(resourceName,names,emailAddresses,phoneNumbers,organizations,metadata),nextPageToken,nextSyncToken',
    );
    expect([...url.searchParams]).toContainEqual(fields);
  }
  seen.length = 0;
  await runRound(sync('contacts'), incremental(round.cursor), options());
  expect(seen[0]!.searchParams.get('syncToken')).toBe(round.cursor);
  expect(seen[0]!.searchParams.get('requestSyncToken')).toBe('true');
});
