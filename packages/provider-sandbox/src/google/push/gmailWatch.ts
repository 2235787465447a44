import { randomUUID } from 'node:crypto';
import { type FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { requireAuth, send } from '../../core/hooks';
import { type Account, type SandboxContext } from '../../core/types';
import { gmailMessages } from '../gmail/generate';
import { gmailAccess, gmailRoute, ownUser } from '../gmail/messages';
import { badRequest, googleError, insufficientScope, notFound } from '../errors';
import { pathParam } from '../params';
import { type KeyPairs } from '../risc/keys';
import { sendNotice } from './send';
import { type GooglePushStore, type PubSubTopic } from './store';

// Gmail push (docs/providers/google.md#gmail-push): users.watch names a Pub/Sub topic; after each mailbox change Gmail
// publishes `{emailAddress, historyId}` there, and the topic's push subscription POSTs it to its endpoint with an
// OIDC token (https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions). users.stop ends the watch.

/** A watch lasts 7 days (https://developers.google.com/workspace/gmail/api/guides/push, "Renewing mailbox watch"). */
export const GMAIL_WATCH_MS = 7 * 86_400_000;
/** The issuer of Google's ID tokens, as Pub/Sub push tokens carry it. */
export const OIDC_ISSUER = 'https://accounts.google.com';
const TOPIC = /^projects\/[^/]+\/topics\/[^/]+$/;

const watchSchema = z.object({
  topicName: z.string().min(1),
  labelIds: z.array(z.string()).optional(),
  labelFilterBehavior: z.enum(['include', 'exclude']).optional(),
  labelFilterAction: z.enum(['include', 'exclude']).optional(),
});

/** How a push is signed: genuine (the defaults), or one of the faults a receiver must refuse. */
export interface PushSigning {
  audience?: string;
  serviceAccount?: string;
  emailVerified?: boolean;
  issuer?: string;
  signWith?: 'published' | 'foreign';
  issuedSecondsAgo?: number;
}

/** The push request Pub/Sub sends for one Gmail change: its body and a freshly signed token. */
export async function pubsubRequest(
  ctx: SandboxContext,
  keys: KeyPairs,
  topic: PubSubTopic,
  message: { emailAddress: string; historyId: string; messageId: string },
  signing: PushSigning = {},
): Promise<{ headers: Record<string, string>; body: string; token: string }> {
  const key = (await keys())[signing.signWith ?? 'published'];
  const issuedAt = Math.floor(ctx.clock.now() / 1000) - (signing.issuedSecondsAgo ?? 0);
  const serviceAccount = signing.serviceAccount ?? topic.serviceAccount;
  // The claims of the example token in Google's guide: azp and sub are the service account's unique id.
  const token = await new SignJWT({ email: serviceAccount, email_verified: signing.emailVerified ?? true })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(signing.issuer ?? OIDC_ISSUER)
    .setAudience(signing.audience ?? topic.audience)
    .setSubject(`sandbox-sa-${serviceAccount}`)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + 3600)
    .sign(key.privateKey);
  const publishTime = new Date(ctx.clock.now()).toISOString();
  const data = Buffer.from(
    JSON.stringify({ emailAddress: message.emailAddress, historyId: Number(message.historyId) }),
  ).toString('base64');
  const body = JSON.stringify({
    message: {
      data,
      messageId: message.messageId,
      message_id: message.messageId,
      publishTime,
      publish_time: publishTime,
    },
    subscription: 'projects/sandbox/subscriptions/gmail-push',
  });
  return { headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body, token };
}

export function registerGmailWatch(
  app: FastifyInstance,
  ctx: SandboxContext,
  store: GooglePushStore,
  keys: KeyPairs,
): void {
  // Quota: watch 100 units, stop 50 (Gmail's usage limits, docs/providers/google.md#gmail-push).
  app.post('/gmail/v1/users/:userId/watch', gmailRoute('gmail.users.watch', 100), async (request, reply) => {
    const auth = requireAuth(request);
    if (gmailAccess(auth) === 'none') return send(reply, insufficientScope());
    if (!ownUser(pathParam(request, 'userId'), auth)) return send(reply, notFound());
    const body = watchSchema.safeParse(request.body);
    if (!body.success) return send(reply, badRequest('Invalid watch request.'));
    const { topicName } = body.data;
    if (!TOPIC.test(topicName)) {
      return send(
        reply,
        badRequest('Invalid topicName does not match projects/SOME-PROJECT/topics/SOME-TOPIC'),
      );
    }
    if (!store.topics.has(topicName)) {
      // Gmail publishes a test message first; a missing topic or a missing Publisher grant fails it alike.
      return send(
        reply,
        googleError(
          403,
          `Error sending test message to Cloud PubSub ${topicName} : User not authorized to perform this operation.`,
          {
            domain: 'global',
            reason: 'forbidden',
          },
        ),
      );
    }
    const expiresAt = ctx.clock.now() + GMAIL_WATCH_MS;
    store.watches.set(auth.account.id, { topic: topicName, expiresAt });
    return { historyId: String(ctx.datasets.currentSeq(auth.account)), expiration: String(expiresAt) };
  });

  app.post('/gmail/v1/users/:userId/stop', gmailRoute('gmail.users.stop', 50), async (request, reply) => {
    const auth = requireAuth(request);
    if (gmailAccess(auth) === 'none') return send(reply, insufficientScope());
    if (!ownUser(pathParam(request, 'userId'), auth)) return send(reply, notFound());
    store.watches.delete(auth.account.id);
    return reply.code(204).send();
  });

  ctx.datasets.onChange((change) => {
    if (change.account.provider !== 'google' || change.resource !== gmailMessages.resource) return;
    pushChange(ctx, store, keys, change.account);
  });
}

/** Publishes a change of the account's mailbox to its watch's topic, if it has a live watch and the topic a push. */
function pushChange(ctx: SandboxContext, store: GooglePushStore, keys: KeyPairs, account: Account): void {
  const watch = store.watches.get(account.id);
  if (!watch || watch.expiresAt <= ctx.clock.now()) return;
  const topic = store.topics.get(watch.topic);
  if (!topic) return;
  const historyId = String(ctx.datasets.currentSeq(account));
  const messageId = String(Date.now()) + randomUUID().slice(0, 8);
  sendNotice(
    store,
    { kind: 'gmail', accountId: account.id, id: messageId, state: 'push' },
    topic.pushEndpoint,
    () => pubsubRequest(ctx, keys, topic, { emailAddress: account.email, historyId, messageId }),
  );
}
