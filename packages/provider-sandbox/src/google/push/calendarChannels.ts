import { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireAuth, send } from '../../core/hooks';
import { type SandboxContext } from '../../core/types';
import { badRequest, googleError, insufficientScope, notFound } from '../errors';
import { CALENDAR_READ_SCOPES, hasAnyScope } from '../scopes';
import { sendNotice } from './send';
import { type CalendarChannel, type GooglePushStore } from './store';

// Calendar push (docs/providers/google.md#calendar-push): events.watch opens a channel on a calendar's events,
// channels.stop ends it; a channel sends `sync` once created and `exists` after each change of the collection, as a
// POST with an empty body and the X-Goog-* headers.

/** The watch reference's default time-to-live, 604,800 s; the sandbox grants no longer (google.md says why). */
export const CALENDAR_CHANNEL_MAX_MS = 604_800_000;

const watchSchema = z.object({
  id: z.string().min(1).max(64),
  type: z.enum(['web_hook', 'webhook']),
  address: z.url(),
  token: z.string().max(256).optional(),
  expiration: z
    .union([z.string().regex(/^\d{1,16}$/), z.number().int()])
    .transform(Number)
    .optional(),
});
const stopSchema = z.object({ id: z.string().min(1), resourceId: z.string().min(1) });

const route = (routeId: string) => ({
  config: { sandbox: { provider: 'google' as const, routeId, auth: true } },
});

const render = (ctx: SandboxContext, channel: CalendarChannel) => ({
  kind: 'api#channel',
  id: channel.id,
  resourceId: channel.resourceId,
  resourceUri: `${ctx.urls.google}/calendar/v3/calendars/primary/events?alt=json`,
  ...(channel.token === null ? {} : { token: channel.token }),
  expiration: String(channel.expiresAt),
});

/** One notification on the channel, with the next message number (https://developers.google.com/workspace/calendar/api/guides/push). */
function notify(ctx: SandboxContext, store: GooglePushStore, channel: CalendarChannel, state: string): void {
  channel.messageNumber += 1;
  const headers: Record<string, string> = {
    'x-goog-channel-id': channel.id,
    'x-goog-channel-expiration': new Date(channel.expiresAt).toUTCString(),
    'x-goog-resource-id': channel.resourceId,
    'x-goog-resource-uri': render(ctx, channel).resourceUri,
    'x-goog-resource-state': state,
    'x-goog-message-number': String(channel.messageNumber),
    ...(channel.token === null ? {} : { 'x-goog-channel-token': channel.token }),
  };
  sendNotice(
    store,
    { kind: 'calendar', accountId: channel.accountId, id: channel.id, state },
    channel.address,
    async () => ({ headers, body: '' }),
  );
}

export function registerCalendarChannels(
  app: FastifyInstance,
  ctx: SandboxContext,
  store: GooglePushStore,
): void {
  app.post(
    '/calendar/v3/calendars/:calendarId/events/watch',
    route('calendar.events.watch'),
    async (request, reply) => {
      const auth = requireAuth(request);
      if (!hasAnyScope(auth, CALENDAR_READ_SCOPES)) return send(reply, insufficientScope());
      const { calendarId } = request.params as { calendarId: string };
      if (calendarId !== 'primary' && calendarId !== auth.account.email) return send(reply, notFound());
      const body = watchSchema.safeParse(request.body);
      if (!body.success) return send(reply, badRequest('Invalid channel.', 'body'));
      if (store.channels.has(body.data.id)) {
        // Google's reason for a reused channel id (docs/providers/google.md#calendar-push, wording unconfirmed).
        return send(
          reply,
          googleError(400, `Channel id ${body.data.id} not unique`, {
            domain: 'global',
            reason: 'channelIdNotUnique',
          }),
        );
      }
      const now = ctx.clock.now();
      const asked = body.data.expiration;
      if (asked !== undefined && asked <= now)
        return send(reply, badRequest('Invalid expiration.', 'expiration'));
      const channel: CalendarChannel = {
        id: body.data.id,
        // Google's resource id names the watched collection: the same for every channel on it.
        resourceId: `sandbox-events-${auth.account.id}`,
        accountId: auth.account.id,
        address: body.data.address,
        token: body.data.token ?? null,
        expiresAt: Math.min(asked ?? now + CALENDAR_CHANNEL_MAX_MS, now + CALENDAR_CHANNEL_MAX_MS),
        messageNumber: 0,
      };
      store.channels.set(channel.id, channel);
      // The `sync` message follows the channel's creation (the reply goes first, as Google's does).
      setImmediate(() => notify(ctx, store, channel, 'sync'));
      return reply.code(200).send(render(ctx, channel));
    },
  );

  app.post('/calendar/v3/channels/stop', route('calendar.channels.stop'), async (request, reply) => {
    const { account } = requireAuth(request);
    const body = stopSchema.safeParse(request.body);
    if (!body.success) return send(reply, badRequest('Invalid channel.', 'body'));
    const channel = store.channels.get(body.data.id);
    if (!channel || channel.accountId !== account.id || channel.resourceId !== body.data.resourceId) {
      return send(
        reply,
        googleError(404, `Channel '${body.data.id}' not found for project`, {
          domain: 'global',
          reason: 'notFound',
        }),
      );
    }
    store.channels.delete(channel.id);
    return reply.code(204).send();
  });

  ctx.datasets.onChange((change) => {
    if (change.account.provider !== 'google' || change.resource !== 'events') return;
    for (const channel of store.liveChannels(change.account.id, ctx.clock.now())) {
      notify(ctx, store, channel, 'exists');
    }
  });
}
