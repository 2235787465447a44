import { type FastifyInstance, type FastifyRequest } from 'fastify';
import { requireAuth, send } from '../../core/hooks';
import { type Account, type Dataset, type SandboxContext, type StoredItem } from '../../core/types';
import { openToken, queryFingerprint, sealToken } from '../cursors';
import { deletedEntries, entriesOf, fitPage, type ListingMode, visible } from './entries';
import { type CalendarEventData, calendarEvents } from './generate';
import { badRequest, fullSyncRequired, insufficientScope, notFound } from '../errors';
import { CALENDAR_READ_SCOPES, hasAnyScope } from '../scopes';
import { bool, limit, many, one, pathParam } from '../params';

const route = {
  config: { sandbox: { provider: 'google' as const, routeId: 'calendar.events.list', auth: true } },
};
/** Refused next to a syncToken (docs/providers/google.md#calendar-sync). */
const NOT_WITH_SYNC_TOKEN = [
  'iCalUID',
  'orderBy',
  'privateExtendedProperty',
  'q',
  'sharedExtendedProperty',
  'timeMin',
  'timeMax',
  'updatedMin',
];
/** Parameters the sandbox does not emulate: refused rather than silently ignored. */
const NOT_EMULATED = ['orderBy', 'iCalUID', 'sharedExtendedProperty'];
/** A page token continues the same query; the page size and the partial-response mask may change. */
const NOT_IN_FINGERPRINT = ['pageToken', 'maxResults', 'fields'];

type Reply = Parameters<typeof send>[0];

const invalidPageToken = () => badRequest('Invalid page token.', 'pageToken');

/** `orderBy=startTime` "is only available when querying single events" (docs/providers/google.md#calendar-sync). */
const orderingUnavailable = () =>
  badRequest('The requested ordering is not available for the particular query.', 'orderBy');

/**
 * The parameters a sync token is bound to: Google says every parameter of an incremental call other than the
 * refused ones should equal the full sync's, else the behaviour is undefined; the sandbox refuses the token instead
 * (wording its own, docs/providers/google.md#calendar-sync).
 */
const syncParams = (request: FastifyRequest) => ({
  e: bool(request, 'singleEvents') ? 1 : 0,
  d: bool(request, 'showDeleted') ? 1 : 0,
});
const syncParamsChanged = () =>
  badRequest(
    'The syncToken was issued for other singleEvents or showDeleted values; repeat those of the full sync.',
    'syncToken',
  );

const envelope = (
  account: Account,
  items: unknown[],
  next: { nextPageToken: string } | { nextSyncToken: string },
) => ({
  kind: 'calendar#events',
  etag: `"${account.seed}"`,
  summary: account.email,
  description: '',
  updated: new Date().toISOString(),
  timeZone: 'UTC',
  accessRole: 'owner',
  defaultReminders: [{ method: 'popup', minutes: 10 }],
  items,
  ...next,
});

/** events.list: full listing (timeMin/timeMax, q, updatedMin) or incremental by syncToken; 410 when it expired. */
export function registerCalendarEvents(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/calendar/v3/calendars/:calendarId/events', route, async (request, reply) => {
    const auth = requireAuth(request);
    if (!hasAnyScope(auth, CALENDAR_READ_SCOPES)) return send(reply, insufficientScope());
    const { account } = auth;
    const calendarId = pathParam(request, 'calendarId');
    if (calendarId !== 'primary' && calendarId !== account.email) return send(reply, notFound());
    const events = ctx.datasets.open(account, calendarEvents);
    const query = queryFingerprint(request, NOT_IN_FINGERPRINT);
    const pageToken = one(request, 'pageToken');
    const cursor = openToken('calendar.events.pageToken', account, pageToken, query);
    if (pageToken !== undefined && cursor?.s === undefined) return send(reply, invalidPageToken());
    const syncToken = one(request, 'syncToken');
    if (syncToken === undefined)
      return fullListing(
        request,
        reply,
        account,
        events,
        cursor?.s ?? ctx.datasets.currentSeq(account),
        cursor,
      );
    const forbidden = NOT_WITH_SYNC_TOKEN.find((p) => one(request, p) !== undefined);
    if (forbidden)
      return send(reply, badRequest(`The parameter ${forbidden} cannot be used with syncToken.`, forbidden));
    const opened = openToken('calendar.events.syncToken', account, syncToken);
    const bound = syncParams(request);
    if (opened !== undefined && (opened.e !== bound.e || opened.d !== bound.d))
      return send(reply, syncParamsChanged());
    const since = opened?.v;
    const result = since === undefined ? undefined : events.changesSince(since);
    if (since === undefined || !result?.ok) return send(reply, fullSyncRequired());
    // One pass covers the changes up to the first page's sequence; pages resume after the last sequence served, so
    // an event edited between two pages moves past `upTo` (to the next sync) and shifts nothing else.
    const upTo = cursor?.s ?? result.currentSeq;
    const after = cursor?.k ?? since;
    const changes = result.changes.filter((c) => c.seq > after && c.seq <= upTo);
    // Deletions are always included in incremental results (docs/providers/google.md#calendar-sync).
    const mode = { ...modeOf(request), showDeleted: true };
    const max = limit(request, 'maxResults', 250, 2500);
    const { kept: page, shown: items } = fitPage(
      changes.slice(0, max),
      (c) => {
        const item = c.kind === 'delete' ? undefined : events.get(c.id);
        return item ? entriesOf(account, item, mode) : deletedEntries(account, c, mode);
      },
      max,
    );
    const last = page[page.length - 1];
    const next =
      page.length < changes.length && last
        ? { nextPageToken: sealToken('calendar.events.pageToken', account, { k: last.seq, s: upTo }, query) }
        : { nextSyncToken: sealToken('calendar.events.syncToken', account, { v: upTo, ...bound }) };
    return envelope(account, items, next);
  });
}

function fullListing(
  request: FastifyRequest,
  reply: Reply,
  account: Account,
  events: Dataset<CalendarEventData>,
  snapshot: number,
  cursor: Record<string, number> | undefined,
) {
  if (one(request, 'orderBy') === 'startTime' && !bool(request, 'singleEvents'))
    return send(reply, orderingUnavailable());
  const unsupported = NOT_EMULATED.find((p) => one(request, p) !== undefined);
  if (unsupported)
    return send(reply, badRequest(`The sandbox does not emulate ${unsupported}.`, unsupported));
  const timeMin = parseTime(one(request, 'timeMin'));
  const timeMax = parseTime(one(request, 'timeMax'));
  const updatedMin = parseTime(one(request, 'updatedMin'));
  if (timeMin === null) return send(reply, badRequest('Bad Request', 'timeMin'));
  if (timeMax === null) return send(reply, badRequest('Bad Request', 'timeMax'));
  if (updatedMin === null) return send(reply, badRequest('Bad Request', 'updatedMin'));
  if (timeMin !== undefined && timeMax !== undefined && timeMax <= timeMin) {
    return send(reply, badRequest('The specified time range is empty.', 'timeMax'));
  }
  const text = one(request, 'q')?.toLowerCase();
  const properties = privateConstraints(many(request, 'privateExtendedProperty'));
  if (properties === undefined) return send(reply, badRequest('Invalid Value', 'privateExtendedProperty'));
  const mode = modeOf(request);
  const matches = (item: StoredItem<CalendarEventData>) => {
    const { data } = item;
    const [start, end] = mode.singleEvents ? [data.start, data.end] : span(data);
    return (
      visible(item, mode) &&
      (timeMin === undefined || end > timeMin) &&
      (timeMax === undefined || start < timeMax) &&
      (updatedMin === undefined || data.updated >= updatedMin) &&
      (text === undefined || matchesText(data, text)) &&
      properties.every(([name, value]) => data.privateProperties?.[name] === value)
    );
  };
  const query = queryFingerprint(request, NOT_IN_FINGERPRINT);
  // Ordinals are stable positions: edits, deletes and adds between pages shift nothing.
  const max = limit(request, 'maxResults', 250, 2500);
  const listed = events.page({
    ...(cursor?.o === undefined ? {} : { after: cursor.o }),
    limit: max,
    order: 'asc',
    filter: matches,
  });
  const { kept, shown } = fitPage(listed.items, (item) => entriesOf(account, item, mode), max);
  const cut =
    kept.length < listed.items.length ? (kept[kept.length - 1] as StoredItem<CalendarEventData>) : undefined;
  const page = { items: kept, nextOrdinal: cut ? cut.ordinal : listed.nextOrdinal };
  const last = page.nextOrdinal === undefined;
  // The sync token handed out at the end covers changes made after the first page was served.
  const next = last
    ? {
        nextSyncToken: sealToken('calendar.events.syncToken', account, {
          v: snapshot,
          ...syncParams(request),
        }),
      }
    : {
        nextPageToken: sealToken(
          'calendar.events.pageToken',
          account,
          { o: page.nextOrdinal as number, s: snapshot },
          query,
        ),
      };
  // With showDeleted, deleted events come back as cancelled; the sandbox appends them to the last page.
  const cancelled =
    last && mode.showDeleted
      ? events
          .deleted()
          .filter((d) => d.seq <= snapshot)
          .flatMap((d) => deletedEntries(account, d, mode))
      : [];
  return envelope(account, [...shown, ...cancelled], next);
}

const modeOf = (request: FastifyRequest): ListingMode => ({
  singleEvents: bool(request, 'singleEvents'),
  showDeleted: bool(request, 'showDeleted'),
});

/** A master stands for its whole series: from its first start to the last occurrence's end. */
function span({ start, end, series }: CalendarEventData): [number, number] {
  if (!series) return [start, end];
  const last = series.originalStart + (series.count - 1 - series.index) * 7 * 86_400_000;
  // An hour either side covers a daylight-saving change inside the series.
  return [series.originalStart - series.index * 7 * 86_400_000 - 3_600_000, last + (end - start) + 3_600_000];
}

/** `q`: free text over summary, description and attendees' addresses (a subset of Google's fields). */
function matchesText(data: CalendarEventData, text: string): boolean {
  return [data.summary, data.description, ...data.attendees].some((field) =>
    field.toLowerCase().includes(text),
  );
}

/**
 * `privateExtendedProperty=name=value` constraints, all of which must hold (docs/providers/google.md#calendar-writes);
 * undefined when one is not of that form (the wording of Google's refusal is the sandbox's own).
 */
function privateConstraints(values: string[]): Array<[string, string]> | undefined {
  const pairs = values.map((v) => {
    const at = v.indexOf('=');
    return at > 0 ? ([v.slice(0, at), v.slice(at + 1)] as [string, string]) : undefined;
  });
  return pairs.every((p) => p !== undefined) ? (pairs as Array<[string, string]>) : undefined;
}

/** RFC 3339 with an offset; undefined when absent, null when malformed. */
function parseTime(value: string | undefined): number | undefined | null {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return null;
  return Date.parse(value);
}
