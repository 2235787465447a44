import {
  ClassifiedProviderError,
  type OpenedPushChannel,
  type PushChannelRef,
  type PushChannelRequest,
  type ResourcePush,
} from '@crm-sync/core';
import { z } from 'zod';
import { pushCall } from '../../shared/pushCall';
import { googleApisFor, type GoogleApiOptions } from '../client';
import { classifyGoogleError } from '../errors';

// Gmail push (docs/providers/google.md#gmail-push): `POST /gmail/v1/users/me/watch` { topicName } makes Gmail
// publish a message to the Pub/Sub topic after each mailbox change and answers { historyId, expiration (ms) };
// `POST /gmail/v1/users/me/stop` ends it. A watch lasts 7 days; Google asks for watch to be called again at least
// every 7 days and recommends once a day (https://developers.google.com/workspace/gmail/api/guides/push).

/**
 * The lifetime we record for a watch: two days, whatever Gmail's 7, so that the keeper (which renews within
 * PUSH_RENEW_BEFORE_MS, default one day) watches again about daily, as Google recommends.
 */
export const GMAIL_WATCH_RECORDED_MS = 2 * 86_400_000;

const watchSchema = z.object({
  historyId: z.string().regex(/^\d{1,30}$/),
  expiration: z.string().regex(/^\d{1,16}$/),
});

/** Push for the `mail` resource: a Gmail watch publishing to `topicName`, renewed by watching again. */
export function createGmailPush(api: GoogleApiOptions, topicName: string): ResourcePush {
  const watch = async (accessToken: string, expiresAt: Date) => {
    const answer = await pushCall(
      async () =>
        (
          await googleApisFor(accessToken, api).gmail.users.watch({
            userId: 'me',
            requestBody: { topicName },
          })
        ).data,
      watchSchema,
      'Gmail users.watch',
      classifyGoogleError,
    );
    return { expiresAt: new Date(Math.min(Number(answer.expiration), expiresAt.getTime())) };
  };
  return {
    maxLifetimeMs: GMAIL_WATCH_RECORDED_MS,
    async open(request: PushChannelRequest): Promise<OpenedPushChannel> {
      // Gmail names no channel: its pushes name the mailbox. Our channel id only keys the row.
      const { expiresAt } = await watch(request.accessToken, request.expiresAt);
      return { channelId: request.channelId, providerResourceId: null, expiresAt };
    },
    renew: (accessToken: string, _channel: PushChannelRef, expiresAt: Date) => watch(accessToken, expiresAt),
    async stop(accessToken: string): Promise<void> {
      try {
        await googleApisFor(accessToken, api).gmail.users.stop({ userId: 'me' });
      } catch (error) {
        throw new ClassifiedProviderError(classifyGoogleError(error), 'Gmail users.stop failed');
      }
    },
  };
}
