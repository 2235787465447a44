import {
  ClassifiedProviderError,
  type OpenedPushChannel,
  type PushChannelRef,
  type PushChannelRequest,
  type ResourcePush,
} from '@crm-sync/core';
import { GaxiosError } from 'gaxios';
import { z } from 'zod';
import { pushCall } from '../../shared/pushCall';
import { googleApisFor, type GoogleApiOptions } from '../client';
import { classifyGoogleError } from '../errors';

// Calendar push (docs/providers/google.md#calendar-push): `POST /calendar/v3/calendars/{calendarId}/events/watch`
// { id, type: "web_hook", address, token, expiration (ms) } answers the channel { id, resourceId, expiration };
// `POST /calendar/v3/channels/stop` { id, resourceId } stops it. A channel cannot be extended: a new one is opened
// before the old expires, and the old one is stopped.

/**
 * The longest channel we ask for: the watch reference's default time-to-live, 604,800 s (7 days); Google documents no
 * larger maximum for Events channels and may grant less (its `expiration` answer is what we store).
 */
export const CALENDAR_CHANNEL_MAX_MS = 604_800_000;

/** The calendar the sync reads (sync/calendar.ts): its channel watches the same events. */
const CALENDAR_ID = 'primary';

const channelSchema = z.object({
  id: z.string().min(1).max(64),
  resourceId: z.string().min(1).max(500),
  expiration: z.string().regex(/^\d{1,16}$/),
});

/** Push for the `calendar` resource: an `events.watch` channel on the primary calendar. */
export function createCalendarPush(api: GoogleApiOptions): ResourcePush {
  return {
    maxLifetimeMs: CALENDAR_CHANNEL_MAX_MS,
    async open(request: PushChannelRequest): Promise<OpenedPushChannel> {
      const channel = await pushCall(
        async () =>
          (
            await googleApisFor(request.accessToken, api).calendar.events.watch({
              calendarId: CALENDAR_ID,
              requestBody: {
                id: request.channelId,
                type: 'web_hook',
                address: request.notificationUrl,
                token: request.secret,
                expiration: String(request.expiresAt.getTime()),
              },
            })
          ).data,
        channelSchema,
        'Calendar events.watch',
        classifyGoogleError,
      );
      return {
        channelId: channel.id,
        providerResourceId: channel.resourceId,
        expiresAt: new Date(Number(channel.expiration)),
      };
    },
    async stop(accessToken: string, channel: PushChannelRef): Promise<void> {
      try {
        await googleApisFor(accessToken, api).calendar.channels.stop({
          requestBody: { id: channel.channelId, resourceId: channel.providerResourceId ?? '' },
        });
      } catch (error) {
        // Already gone (expired, or stopped before): stopped is what we wanted.
        if (error instanceof GaxiosError && error.response?.status === 404) return;
        throw new ClassifiedProviderError(classifyGoogleError(error), 'Calendar channels.stop failed');
      }
    },
  };
}
