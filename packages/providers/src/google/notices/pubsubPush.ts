import { NoticeRefusedError, type VerifiedDelivery } from '@crm-sync/core';
import { createRemoteJWKSet, customFetch, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import { jwtRefusal } from './jwtRefusal';

// Gmail push over Pub/Sub (docs/providers/google.md#gmail-push): Pub/Sub POSTs `{ message: { data, messageId,
// publishTime, … }, subscription }` to our endpoint with `Authorization: Bearer <OIDC token>`, an RS256 JWT Google
// signs with `iss` accounts.google.com, `aud` the subscription's audience, `email` its service account and
// `email_verified` (https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions). Gmail's `data` is the
// base64 of `{"emailAddress": …, "historyId": …}` (https://developers.google.com/workspace/gmail/api/guides/push).

/** Google's OpenID Connect key set (its discovery document's `jwks_uri`). */
export const GOOGLE_OIDC_JWKS_URL = 'https://www.googleapis.com/oauth2/v3/certs';
/** Both spellings Google's ID tokens carry (https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions). */
const ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];
/**
 * How long a Pub/Sub message id is remembered: longer than the token's own life (an hour, its `exp`), so the same
 * request cannot be taken twice; Pub/Sub's later redeliveries of an unacknowledged message carry a new token and are
 * answered as received (a duplicate costs at most one empty round).
 */
const MESSAGE_ID_TTL_MS = 2 * 60 * 60 * 1000;

const bodySchema = z.object({
  message: z.object({
    data: z.string().min(1).max(10_000),
    messageId: z.string().min(1).max(200),
  }),
  subscription: z.string().max(500).optional(),
});
const dataSchema = z.object({
  emailAddress: z.string().min(3).max(320),
  historyId: z.union([z.string().regex(/^\d{1,30}$/), z.number().int().nonnegative()]),
});

export interface PubSubPushVerifierOptions {
  jwksUrl: string;
  /** The audience our push subscription's tokens are issued for. */
  audience: string;
  /** The push subscription's service account: a token for any other `email` is refused. */
  serviceAccount: string;
  fetch?: typeof fetch;
  now?: () => Date;
}

export type PubSubPushVerifier = (
  authorization: string | undefined,
  rawBody: string,
) => Promise<VerifiedDelivery>;

/** Verifies a Gmail Pub/Sub push: its OIDC token, then its message; it asks for a mail round of that mailbox. */
export function createPubSubPushVerifier(options: PubSubPushVerifierOptions): PubSubPushVerifier {
  // jose refetches the key set when a token names a key id it does not have (Google rotates its keys).
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl), { [customFetch]: options.fetch ?? fetch });
  const now = options.now ?? (() => new Date());
  return async (authorization, rawBody) => {
    const token = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(authorization ?? '')?.[1];
    if (!token) throw new NoticeRefusedError('bad_signature', 'no bearer token');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: ISSUERS,
        audience: options.audience,
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'iat', 'email'],
        currentDate: now(),
        clockTolerance: 60,
      }));
    } catch (error) {
      throw jwtRefusal(error, 'our push audience');
    }
    if (payload.email !== options.serviceAccount || payload.email_verified !== true) {
      throw new NoticeRefusedError('wrong_issuer', 'not signed for our push service account');
    }
    const message = parse(rawBody);
    return {
      provider: 'google',
      replayKey: `pubsub.${message.messageId}`,
      replayTtlMs: MESSAGE_ID_TTL_MS,
      notices: [
        {
          kind: 'gmail.change',
          action: 'sync',
          target: { kind: 'accountEmail', email: message.emailAddress },
          resource: 'mail',
        },
      ],
    };
  };
}

function parse(rawBody: string): { messageId: string; emailAddress: string } {
  try {
    const { message } = bodySchema.parse(JSON.parse(rawBody));
    const data = dataSchema.parse(JSON.parse(Buffer.from(message.data, 'base64').toString('utf8')));
    return { messageId: message.messageId, emailAddress: data.emailAddress };
  } catch {
    throw new NoticeRefusedError('malformed', 'not a Gmail Pub/Sub push message');
  }
}
