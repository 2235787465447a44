import { NoticeRefusedError, pushSecretDigest, type VerifiedDelivery } from '@crm-sync/core';
import { z } from 'zod';
import { CALENDAR_CHANNEL_MAX_MS } from '../push/calendarChannel';

// Calendar notifications (docs/providers/google.md#calendar-push; https://developers.google.com/workspace/calendar/api/guides/push):
// a POST with an empty body to the channel's address; the channel id we chose in `X-Goog-Channel-ID`, the token we
// gave in `X-Goog-Channel-Token`, `X-Goog-Resource-State` `sync` (the channel was created) or `exists` /
// `not_exists` (the watched collection changed), `X-Goog-Resource-ID` and a growing `X-Goog-Message-Number`.

/** The headers of one Calendar notification as received (absent ones undefined). */
export interface CalendarNoticeHeaders {
  channelId: string | undefined;
  token: string | undefined;
  resourceState: string | undefined;
  resourceId: string | undefined;
  messageNumber: string | undefined;
}

const headersSchema = z.object({
  channelId: z.string().min(1).max(64),
  token: z.string().min(1).max(256),
  resourceState: z.enum(['sync', 'exists', 'not_exists']),
  resourceId: z.string().min(1).max(500),
  messageNumber: z.string().regex(/^\d{1,20}$/),
});

/**
 * Reads a Calendar notification: it names its channel and carries the SHA-256 of the token it echoed, which the
 * receiver compares with the channel's stored digest (a change for a channel we do not have is refused). `sync` only
 * confirms the channel; a change asks for an incremental round of the channel's resource. The message number makes a redelivery
 * recognisable for as long as a channel lives.
 */
export function verifyCalendarNotice(headers: CalendarNoticeHeaders): VerifiedDelivery {
  const parsed = headersSchema.safeParse(headers);
  if (!parsed.success) throw new NoticeRefusedError('malformed', 'not a Calendar channel notification');
  const { channelId, token, resourceState, messageNumber } = parsed.data;
  return {
    provider: 'google',
    replayKey: `calendar.${channelId}.${messageNumber}`,
    replayTtlMs: CALENDAR_CHANNEL_MAX_MS,
    notices: [
      {
        kind: `calendar.${resourceState}`,
        action: resourceState === 'sync' ? 'record' : 'sync',
        target: {
          kind: 'channel',
          channelId,
          secretDigest: pushSecretDigest(token),
          // Google sends `sync` as the channel is created, possibly before our row names it; it asks for nothing.
          unknownRefused: resourceState !== 'sync',
        },
      },
    ],
  };
}
