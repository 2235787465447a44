import type { Provider, Resource } from './domain';

/**
 * What a verified provider notice asks crm-sync to do (docs/providers/notices.md has the mapping per provider):
 * - `revoke`: the grant is gone or must not be used; the revocation pipeline deletes the credentials.
 * - `sync`: something was missed; run an incremental round.
 * - `resync`: the provider dropped our subscription or state; run a full round.
 * - `record`: nothing to change here; the notice is logged with the connections it names.
 */
export const NOTICE_ACTIONS = ['revoke', 'sync', 'resync', 'record'] as const;
export type NoticeAction = (typeof NOTICE_ACTIONS)[number];

/**
 * How a provider names one refresh token without sending it (Google RISC `token-revoked`,
 * docs/providers/notices.md): `prefix`, the token's first 16 characters; `sha512-sha512`, standard base64 (padded) of
 * SHA-512 over the SHA-512 digest of the token. Both are secrets' parts or stand-ins: never logged.
 */
export interface RefreshTokenIdentifier {
  alg: 'prefix' | 'sha512-sha512';
  value: string;
}

/**
 * Whom a notice is about: a provider account (all its live connections), one connection, one push channel
 * (issue 25: a change notice names the channel, which names its connection and resource; the receiver checks the
 * SHA-256 of the secret the notice echoed against the channel's, docs/push.md), or the connection holding one
 * refresh token.
 */
export type NoticeTarget =
  | { kind: 'account'; providerAccountId: string }
  | { kind: 'connection'; connectionId: string }
  | {
      kind: 'channel';
      channelId: string;
      secretDigest: string;
      /**
       * Whether a notice naming a channel we do not have is refused (Calendar: the channel id and token are all that
       * authenticate it) rather than answered and ignored (Graph: its clientState was already verified by HMAC).
       */
      unknownRefused?: boolean;
    }
  | { kind: 'refreshToken'; identifier: RefreshTokenIdentifier }
  /** A mailbox by its address (Gmail's Pub/Sub push names the account so, docs/push.md). */
  | { kind: 'accountEmail'; email: string }
  | { kind: 'none' };

/** One notice of a verified delivery: what the provider said, about whom, and what crm-sync does. */
export interface VerifiedNotice {
  /** The provider's name for the event, for logs (never a secret). */
  kind: string;
  target: NoticeTarget;
  action: NoticeAction;
  /**
   * The push channel a lifecycle notice is about (issue 25, docs/push.md), and what becomes of it: `renew` (the
   * provider asks for reauthorization), `reopen` (the provider dropped it: a new one is opened) or `none`. A sync it
   * asks for covers only the channel's resource when we know the channel.
   */
  channel?: { channelId: string; effect: 'renew' | 'reopen' | 'none' };
  /** The one resource a sync covers where the notice names no channel (Gmail's push: mail). */
  resource?: Resource;
}

/**
 * One delivery from a provider (one HTTP request), verified: the notices it carries and the key that makes a
 * second delivery of the same request recognisable. The receiver keeps `replayKey` for `replayTtlMs`, which each
 * verifier sets at least as long as the window in which it accepts a delivery at all.
 */
export interface VerifiedDelivery {
  provider: Provider;
  replayKey: string;
  replayTtlMs: number;
  notices: VerifiedNotice[];
}

/** Why a notice was refused; each receiver answers these as the provider's protocol expects. */
export const NOTICE_REFUSALS = [
  'malformed',
  'bad_signature',
  'wrong_issuer',
  'wrong_audience',
  'stale',
  'replayed',
] as const;
export type NoticeRefusal = (typeof NOTICE_REFUSALS)[number];

/** A notice refused before anything changed. The message never carries a submitted value (it could be a secret). */
export class NoticeRefusedError extends Error {
  override name = 'NoticeRefusedError';
  constructor(
    readonly refusal: NoticeRefusal,
    message: string,
  ) {
    super(message);
  }
}
