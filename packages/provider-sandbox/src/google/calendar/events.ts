import { type FastifyInstance, type FastifyRequest } from 'fastify';
import { requireAuth, send } from '../../core/hooks';
import { type Account, type Dataset, type SandboxContext } from '../../core/types';
import { type CalendarEventData, calendarEvents } from '../data';
import { badRequest, fullSyncRequired, insufficientScope, notFound } from '../errors';
import { CALENDAR_READ_SCOPES, hasAnyScope } from '../scopes';
import { bool, decodeToken, encodeToken, limit, one, pathParam } from '../params';
import { renderCancelled, renderEvent } from './render';

const route = {
  config: { sandbox: { provider: 'google' as const, routeId: 'calendar.events.list', auth: true } },
};
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

const NOT_EMULATED = [
  'orderBy',
  'q',
  'updatedMin',
  'iCalUID',
  'privateExtendedProperty',
  'sharedExtendedProperty',
];

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

/** events.list: full listing (timeMin/timeMax) or incremental by syncToken; 410 when it expired. */
export function registerCalendarEvents(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/calendar/v3/calendars/:calendarId/events', route, async (request, reply) => {
    const auth = requireAuth(request);
    if (!hasAnyScope(auth, CALENDAR_READ_SCOPES)) return send(reply, insufficientScope());
    const { account } = auth;
    const calendarId = pathParam(request, 'calendarId');
    if (calendarId !== 'primary' && calendarId !== account.email) return send(reply, notFound());
    const syncToken = one(request, 'syncToken');
    const events = ctx.datasets.open(account, calendarEvents);
    if (syncToken === undefined)
      return fullListing(request, reply, account, events, ctx.datasets.currentSeq(account));
    const forbidden = NOT_WITH_SYNC_TOKEN.find((p) => one(request, p) !== undefined);
    if (forbidden)
      return send(reply, badRequest(`The parameter ${forbidden} cannot be used with syncToken.`, forbidden));
    const since = decodeToken(syncToken)?.v;
    const result = since === undefined ? undefined : events.changesSince(since);
    if (!result?.ok) return send(reply, fullSyncRequired());
    const pageToken = one(request, 'pageToken');
    const cursor = decodeToken(pageToken);
    if (pageToken !== undefined && (cursor?.c === undefined || cursor.s === undefined)) {
      return send(reply, badRequest('Invalid page token.', 'pageToken'));
    }
    // Pages of one incremental pass are cut from the changes up to the first page's sequence.
    const upTo = cursor?.s ?? result.currentSeq;
    const changes = result.changes.filter((c) => c.seq <= upTo);
    const offset = cursor?.c ?? 0;
    const max = limit(request, 'maxResults', 250, 2500);
    const items = changes.slice(offset, offset + max).map((c) => {
      const item = c.kind === 'delete' ? undefined : events.get(c.id);
      return item ? renderEvent(account, item) : renderCancelled(c.id, c.seq);
    });
    const next =
      offset + max < changes.length
        ? { nextPageToken: encodeToken({ c: offset + max, s: upTo }) }
        : { nextSyncToken: encodeToken({ v: upTo }) };
    return envelope(account, items, next);
  });
}

function fullListing(
  request: FastifyRequest,
  reply: Parameters<typeof send>[0],
  account: Account,
  events: Dataset<CalendarEventData>,
  currentSeq: number,
) {
  // Parameters the sandbox does not emulate are refused rather than silently ignored.
  const unsupported = NOT_EMULATED.find((p) => one(request, p) !== undefined);
  if (unsupported)
    return send(reply, badRequest(`The sandbox does not emulate ${unsupported}.`, unsupported));
  const timeMin = parseTime(one(request, 'timeMin'));
  const timeMax = parseTime(one(request, 'timeMax'));
  if (timeMin === null) return send(reply, badRequest('Bad Request', 'timeMin'));
  if (timeMax === null) return send(reply, badRequest('Bad Request', 'timeMax'));
  if (timeMin !== undefined && timeMax !== undefined && timeMax <= timeMin) {
    return send(reply, badRequest('The specified time range is empty.', 'timeMax'));
  }
  const pageToken = one(request, 'pageToken');
  const cursor = decodeToken(pageToken);
  if (pageToken !== undefined && (cursor?.o === undefined || cursor.s === undefined)) {
    return send(reply, badRequest('Invalid page token.', 'pageToken'));
  }
  // The sync token handed out at the end covers changes made after the first page was served.
  const snapshot = cursor?.s ?? currentSeq;
  const page = events.page({
    ...(cursor?.o === undefined ? {} : { after: cursor.o }),
    limit: limit(request, 'maxResults', 250, 2500),
    order: 'asc',
    filter: ({ data }) =>
      (timeMin === undefined || data.end > timeMin) && (timeMax === undefined || data.start < timeMax),
  });
  const last = page.nextOrdinal === undefined;
  const next = last
    ? { nextSyncToken: encodeToken({ v: snapshot }) }
    : { nextPageToken: encodeToken({ o: page.nextOrdinal as number, s: snapshot }) };
  // With showDeleted, deleted events come back as cancelled; the sandbox appends them to the last page.
  const cancelled =
    last && bool(request, 'showDeleted')
      ? events
          .deleted()
          .filter((d) => d.seq <= snapshot)
          .map((d) => renderCancelled(d.id, d.seq))
      : [];
  return envelope(account, [...page.items.map((item) => renderEvent(account, item)), ...cancelled], next);
}

/** RFC 3339 with an offset; undefined when absent, null when malformed. */
function parseTime(value: string | undefined): number | undefined | null {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return null;
  return Date.parse(value);
}
