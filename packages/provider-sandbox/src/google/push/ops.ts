import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { deliver } from '../../core/deliver';
import { pushPlanOp } from '../../core/pushPlan';
import { type ProviderControlOp } from '../../core/types';
import { type KeyPairs } from '../risc/keys';
import { pubsubRequest } from './gmailWatch';
import { type GooglePushStore } from './store';

const topicSpec = z.strictObject({
  topic: z.string().regex(/^projects\/[^/]+\/topics\/[^/]+$/),
  pushEndpoint: z.url(),
  /** Pub/Sub's default audience is the push endpoint URL. */
  audience: z.string().min(1).optional(),
  serviceAccount: z.string().min(3),
});

const pushSpec = z.strictObject({
  /** Faults a receiver must refuse: another audience, service account or issuer, an unverified email, a key not in
   * the JWKS, a token issued long ago (expired after an hour). */
  audience: z.string().optional(),
  serviceAccount: z.string().optional(),
  emailVerified: z.boolean().optional(),
  issuer: z.string().optional(),
  signWith: z.enum(['published', 'foreign']).optional(),
  issuedSecondsAgo: z.number().int().optional(),
  messageId: z.string().min(1).optional(),
});

/**
 * Control operations of Google push: the push plan; the account's live Calendar channels, Gmail watch and every push
 * notice sent for it; a Pub/Sub topic with its push subscription (Google Cloud's part); one Gmail push now, signed
 * as asked.
 */
export function googlePushOps(store: GooglePushStore, keys: KeyPairs): Record<string, ProviderControlOp> {
  return {
    pushPlan: pushPlanOp(store),
    /** `POST …/ops/pushChannels`. */
    pushChannels: (ctx, account) => {
      const watch = store.watches.get(account.id);
      return {
        channels: store.liveChannels(account.id, ctx.clock.now()).map((c) => ({
          id: c.id,
          resourceId: c.resourceId,
          expiration: String(c.expiresAt),
        })),
        gmailWatch:
          watch && watch.expiresAt > ctx.clock.now()
            ? { topic: watch.topic, expiration: String(watch.expiresAt) }
            : null,
        sent: store.sent.filter((s) => s.accountId === account.id),
      };
    },
    /** `POST …/ops/pubsubTopic` { topic, pushEndpoint, audience?, serviceAccount } (sandbox-wide, any account). */
    pubsubTopic: (_ctx, _account, body) => {
      const spec = topicSpec.parse(body);
      const topic = {
        pushEndpoint: spec.pushEndpoint,
        audience: spec.audience ?? spec.pushEndpoint,
        serviceAccount: spec.serviceAccount,
      };
      store.topics.set(spec.topic, topic);
      return topic;
    },
    /**
     * `POST …/ops/gmailPush` { faults… }: a push for the account's watched mailbox now, as Pub/Sub sends it; answers
     * the receiver's reply with the token and body (so a test can replay them).
     */
    gmailPush: async (ctx, account, body) => {
      const spec = pushSpec.parse(body);
      const watch = store.watches.get(account.id);
      const topic = watch && store.topics.get(watch.topic);
      if (!topic) throw new Error('the account has no watch on a topic with a push subscription');
      const { messageId = randomUUID(), ...signing } = spec;
      const request = await pubsubRequest(
        ctx,
        keys,
        topic,
        { emailAddress: account.email, historyId: String(ctx.datasets.currentSeq(account)), messageId },
        signing,
      );
      const reply = await deliver(topic.pushEndpoint, request);
      return { ...reply, token: request.token, sent: request.body };
    },
  };
}
