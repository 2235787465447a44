import { type FastifyInstance, type FastifyRequest } from 'fastify';
import { requireAuth, send } from '../../core/hooks';
import { type RenderedError, type SandboxContext, type StoredItem } from '../../core/types';
import { badRequest, googleError, insufficientScope, notFound } from '../errors';
import { one, pathParam } from '../params';
import { CALENDAR_READ_SCOPES, CALENDAR_WRITE_SCOPES, hasAnyScope } from '../scopes';
import { parseEvent } from './eventInput';
import { calendarEvents, type CalendarEventData } from './generate';
import { renderCancelled, renderEvent } from './render';

const meta = (routeId: string) => ({
  config: { sandbox: { provider: 'google' as const, routeId, auth: true } },
});
const SEND_UPDATES = ['all', 'externalOnly', 'none'];

/** A stale `If-Match`: 412 conditionNotMet on the header (docs/providers/google.md#calendar-writes). */
const preconditionFailed = () =>
  googleError(412, 'Precondition Failed', {
    domain: 'global',
    reason: 'conditionNotMet',
    location: 'If-Match',
    locationType: 'header',
  });
/** A patch or delete of an event deleted before: 410 (docs/providers/google.md#calendar-writes). */
const deleted = () => googleError(410, 'Resource has been deleted', { domain: 'global', reason: 'deleted' });

const etagOf = (item: StoredItem<CalendarEventData>) => `"${item.seq}"`;

/**
 * events.get, insert, patch and delete on the primary calendar (docs/providers/google.md#calendar-writes): Calendar's
 * validation errors, an etag that changes with every change, 412 on a stale `If-Match`, 410 for a deleted event.
 * Every change goes through the dataset, so the events sync (syncToken) sees it.
 */
const failed = (value: object): value is RenderedError => 'status' in value && 'body' in value;

/**
 * events.get, insert, patch and delete on the primary calendar (docs/providers/google.md#calendar-writes): Calendar's
 * validation errors, an etag that changes with every change, 412 on a stale `If-Match`, 410 for a deleted event.
 * Every change goes through the dataset, so the events sync (syncToken) sees it.
 */
export function registerCalendarWrites(app: FastifyInstance, ctx: SandboxContext): void {
  /** The account's events when the path names its primary calendar and the token's scopes allow `accepted`. */
  const eventsOf = (request: FastifyRequest, accepted: readonly string[]) => {
    const auth = requireAuth(request);
    if (!hasAnyScope(auth, accepted)) return insufficientScope();
    const calendarId = pathParam(request, 'calendarId');
    if (calendarId !== 'primary' && calendarId !== auth.account.email) return notFound();
    const sendUpdates = one(request, 'sendUpdates');
    if (sendUpdates !== undefined && !SEND_UPDATES.includes(sendUpdates))
      return badRequest(`Invalid value for: ${sendUpdates}`, 'sendUpdates');
    return { account: auth.account, events: ctx.datasets.open(auth.account, calendarEvents) };
  };

  /** The event a write names: 404 when it never was, 410 when it was deleted, 412 when `If-Match` is stale. */
  const target = (request: FastifyRequest) => {
    const scoped = eventsOf(request, CALENDAR_WRITE_SCOPES);
    if (failed(scoped)) return scoped;
    const id = pathParam(request, 'eventId');
    const item = scoped.events.get(id);
    if (!item) return scoped.events.wasDeleted(id) ? deleted() : notFound();
    const ifMatch = request.headers['if-match'];
    if (typeof ifMatch === 'string' && ifMatch !== '*' && ifMatch !== etagOf(item))
      return preconditionFailed();
    return { ...scoped, item };
  };

  const path = '/calendar/v3/calendars/:calendarId/events/:eventId';

  app.get(path, meta('calendar.events.get'), async (request, reply) => {
    const scoped = eventsOf(request, [...CALENDAR_READ_SCOPES, ...CALENDAR_WRITE_SCOPES]);
    if (failed(scoped)) return send(reply, scoped);
    const id = pathParam(request, 'eventId');
    const item = scoped.events.get(id);
    if (item) return renderEvent(scoped.account, item);
    // A deleted event still reads, as cancelled (docs/providers/google.md#calendar-writes).
    const gone = scoped.events.deleted().find((d) => d.id === id);
    return gone ? renderCancelled(scoped.account, id, gone.seq) : send(reply, notFound());
  });

  app.post(
    '/calendar/v3/calendars/:calendarId/events',
    meta('calendar.events.insert'),
    async (request, reply) => {
      const scoped = eventsOf(request, CALENDAR_WRITE_SCOPES);
      if (failed(scoped)) return send(reply, scoped);
      const parsed = parseEvent(request.body);
      if (!parsed.ok) return send(reply, parsed.error);
      // A new event starts from what the body sets, none of the generator's values.
      const blank = {
        summary: '',
        description: '',
        location: '',
        attendees: [],
        optionalAttendees: [],
        privateProperties: {},
        cancelled: false,
        timeZone: 'UTC',
        created: ctx.clock.now(),
      };
      return renderEvent(scoped.account, scoped.events.add({ ...blank, ...parsed.fields }));
    },
  );

  app.patch(path, meta('calendar.events.patch'), async (request, reply) => {
    const found = target(request);
    if (failed(found)) return send(reply, found);
    const parsed = parseEvent(request.body, found.item.data);
    if (!parsed.ok) return send(reply, parsed.error);
    const item = found.events.update(found.item.id, parsed.fields);
    return item ? renderEvent(found.account, item) : send(reply, notFound());
  });

  app.delete(path, meta('calendar.events.delete'), async (request, reply) => {
    const found = target(request);
    if (failed(found)) return send(reply, found);
    found.events.delete(found.item.id);
    return reply.code(204).send();
  });
}
