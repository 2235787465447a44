import { type FastifyInstance } from 'fastify';
import { type ResourceGenerator, type RouteMeta, type SandboxContext } from '../../../core/types';
import { deltaHandler } from '../deltaRoute';
import { type EventData } from '../generate';

const meta: RouteMeta = { provider: 'microsoft', routeId: 'graph.events.delta', auth: true, quotaUnits: 1 };

const WINDOW_REQUIRED =
  'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.';

const UNSUPPORTED = (option: string) =>
  `The query parameter '${option}' is not supported with change tracking over the 'Events' resource.`;

/** Graph writes event times without a zone suffix (`2024-05-01T09:00:00.0000000`, zone UTC). */
const utcMs = (dateTime: string) =>
  Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(dateTime) ? dateTime : `${dateTime}Z`);

/**
 * `GET /v1.0/me/calendarView/delta?startDateTime&endDateTime`: the window is fixed for the whole
 * round (kept in the tokens); events edited out of it come back as `@removed`.
 */
export function registerEventsDelta(
  app: FastifyInstance,
  ctx: SandboxContext,
  generator: ResourceGenerator<EventData>,
): void {
  const handler = deltaHandler(ctx, {
    generator,
    entity: 'event',
    scope: 'events:calendarView',
    initialQuery(request, account, scope) {
      const params = request.query as Record<string, string | undefined>;
      const { startDateTime, endDateTime } = params;
      // calendarView delta takes no OData query options (docs/providers/microsoft.md#delta-endpoints).
      const option = Object.keys(params).find((key) => key.startsWith('$'));
      if (option !== undefined) return { refused: 'ErrorInvalidUrlQuery', message: UNSUPPORTED(option) };
      const windowed = startDateTime !== undefined && endDateTime !== undefined;
      if (!windowed || Number.isNaN(utcMs(startDateTime)) || Number.isNaN(utcMs(endDateTime)))
        return { refused: 'ErrorInvalidRequest', message: WINDOW_REQUIRED };
      return {
        scope,
        accountId: account.id,
        select: undefined,
        window: { start: startDateTime, end: endDateTime },
      };
    },
    inScope(item, query) {
      if (query.window === undefined) return true;
      const start = utcMs(item.data.start.dateTime);
      const end = utcMs(item.data.end.dateTime);
      return start < utcMs(query.window.end) && end > utcMs(query.window.start);
    },
  });
  app.get('/v1.0/me/calendarView/delta', { config: { sandbox: meta } }, handler);
}
