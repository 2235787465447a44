import type { Readable } from 'node:stream';
import { type Provider, type Resource } from './domain';
import { type ProviderErrorClass } from './errors';
import { type ResourceSyncers } from './sync';
import { type ResourceWriters } from './writeAdapter';
import { type WriteResource } from './writes';

/**
 * What a successful code exchange or refresh yields. `refreshToken` is whatever the provider sent back in this
 * response: providers that rotate (Microsoft, possibly HubSpot) send a new one that replaces the stored one;
 * providers that do not (Google, usually) omit it, and the caller keeps the one it has.
 */
export interface TokenGrant {
  accessToken: string;
  refreshToken?: string;
  /** When the access token stops working; null when the provider did not say. */
  expiresAt: Date | null;
  /** Scopes the provider reports as granted, which may be fewer than requested (partial consent). */
  grantedScopes: string[];
}

/** Who the tokens belong to at the provider; `providerAccountId` is stable across reconnects. */
export interface ProviderIdentity {
  providerAccountId: string;
  email: string;
}

/** Inputs to the authorization URL. `state` and the PKCE verifier are made and kept by the caller. */
export interface AuthorizationRequest {
  state: string;
  /** The base64url SHA-256 of the verifier (RFC 7636 S256). */
  codeChallenge: string;
  resources: readonly Resource[];
  /** Resources the connection will also write (write-back): their write scopes are asked for too. */
  writes?: readonly WriteResource[];
  loginHint?: string;
}

export interface CodeExchange {
  code: string;
  codeVerifier: string;
}

/**
 * The OAuth half of a provider adapter. Every method that talks to the provider throws a
 * `ClassifiedProviderError` on failure, so callers never see a client library's own error type.
 */
export interface ProviderOAuth {
  /**
   * Scopes to request for the given resources (including the ones identity lookup needs), and for writing the
   * given write-back resources where the adapter can write them.
   */
  scopesFor(resources: readonly Resource[], writes?: readonly WriteResource[]): string[];
  authorizationUrl(request: AuthorizationRequest): string;
  exchangeCode(exchange: CodeExchange): Promise<TokenGrant>;
  identity(accessToken: string): Promise<ProviderIdentity>;
  refresh(refreshToken: string): Promise<TokenGrant>;
  /**
   * Invalidates the grant at the provider where the provider offers a way to. Resolves to what was done, so a
   * caller can tell "revoked at the provider" from "the provider has no revocation; forget the tokens".
   */
  revoke(tokens: { accessToken?: string; refreshToken?: string }): Promise<RevokeOutcome>;
  /**
   * A documented rule by which the provider stops honouring a refresh token a fixed time after it was issued (a
   * rotated one counts as newly issued) or last used, when one applies to this app; absent when none is known. The
   * scheduler warns the CRM ahead of it (`connection.expiring`).
   */
  readonly refreshTokenExpiry?: RefreshTokenExpiry;
}

export interface RefreshTokenExpiry {
  /** Names the rule in notifications and docs/providers/*.md, e.g. `idle_refresh_token`. */
  rule: string;
  lifetimeMs: number;
  /**
   * What the lifetime runs from: `issued` (the grant, or the refresh that rotated the token), or `last_used` (the
   * last refresh that succeeded with it, else its issue).
   */
  since: 'issued' | 'last_used';
}

export type RevokeOutcome = 'revoked' | 'already_invalid' | 'not_supported';

/** The provider's REST APIs as configured: where the token broker's proxy may send a connection's calls. */
export interface ProviderApi {
  /** `scheme://host[:port]` of each API host (never the OAuth endpoints' own hosts). */
  readonly origins: readonly string[];
  /** The fetch that reaches them (in sandbox mode, one that trusts the sandbox's certificate where needed). */
  readonly fetch: typeof fetch;
  /**
   * How long a 429 answer with these headers holds the connection: its Retry-After, else the wait the adapter's
   * classifier guesses for the provider.
   */
  retryAfterMs(headers: Headers): number;
  /**
   * Answers other than 429 by which the provider says it is throttling (Google's `403 userRateLimitExceeded`):
   * their statuses, and whether such an answer's JSON body says so. Absent when 429 is the only such answer.
   */
  readonly throttledAnswer?: { statuses: readonly number[]; says(body: unknown): boolean };
  /**
   * The provider's documented limit on one user's (account's, mailbox's) requests, as requests per window: the sync
   * and the token broker's proxy share it per connection, with a share kept for the proxy (ConnectionThrottle).
   */
  readonly requestBudget: RequestBudget;
}

/** A number of requests allowed in each window of `windowMs`. */
export interface RequestBudget {
  requests: number;
  windowMs: number;
}

/** Which stored attachment to read: the email row's external id and the attachment id its row holds. */
export interface AttachmentRequest {
  accessToken: string;
  messageId: string;
  attachmentId: string;
  /** A file larger than this is not read (`too_large`), so one request cannot make the reader hold more. */
  maxBytes: number;
  signal: AbortSignal;
}

/** An attachment's bytes as the provider serves them now, or why there are none. */
export type AttachmentContent =
  /** `size`: the body's exact length in bytes, where the provider states it (it lets connect-api serve `Range`). */
  | { kind: 'content'; body: ReadableStream<Uint8Array>; size: number | null }
  | { kind: 'not_found' }
  | { kind: 'too_large'; size: number };

/**
 * Reads attachment content on demand; it is never stored (issue 18). Provider failures are thrown as
 * `ClassifiedProviderError`.
 */
export interface AttachmentReader {
  read(request: AttachmentRequest): Promise<AttachmentContent>;
}

/** Which selected Drive file to read, and the caller's `Range` header, passed on as it came. */
export interface DriveContentRequest {
  accessToken: string;
  fileId: string;
  range: string | undefined;
  signal: AbortSignal;
}

/** A Drive file's bytes as Drive serves them now (200 whole, 206 a range), or why there are none. */
export type DriveContent =
  | {
      kind: 'content';
      status: 200 | 206;
      /** A Node stream, so connect-api pipes it on as it comes (no conversion per chunk). */
      body: Readable;
      contentType: string | null;
      /** Content-Length and Content-Range as Drive sent them (byte counts only). */
      length: number | null;
      contentRange: string | null;
    }
  | { kind: 'not_found' }
  | { kind: 'unsatisfiable'; contentRange: string | null };

/**
 * The content of the Drive files a user selected (docs/drive.md); never stored. Provider failures are thrown as
 * `ClassifiedProviderError`.
 */
export interface DriveFileContentReader {
  read(request: DriveContentRequest): Promise<DriveContent>;
}

/** A file to create in the user's Drive, its bytes read from `body` as they come (bounded memory). */
export interface DriveUploadRequest {
  accessToken: string;
  /**
   * The connection's token again after Drive refused `refused` (401), refreshed through the one refresh path; an
   * upload outlives a token (an hour at Google), so each refused request is retried once with what this gives.
   */
  renewToken(refused: string): Promise<string>;
  name: string;
  mimeType: string;
  /** Exact byte count of `body`. */
  size: number;
  body: AsyncIterable<Uint8Array>;
  signal: AbortSignal;
}

export interface DriveShareRequest {
  accessToken: string;
  fileId: string;
  emailAddress: string;
  role: 'reader' | 'commenter' | 'writer';
}

/**
 * Writes to the user's Drive (docs/drive.md): a resumable upload that resumes after a fault, and sharing. Provider
 * failures are thrown as `ClassifiedProviderError`.
 */
export interface DriveFileWriter {
  upload(request: DriveUploadRequest): Promise<{ fileId: string; resumes: number }>;
  share(
    request: DriveShareRequest,
  ): Promise<{ kind: 'shared'; permissionId: string } | { kind: 'not_found' }>;
}

/** Everything provider-specific behind one object: the OAuth half, its API hosts and a syncer per resource. */
export interface ProviderAdapter {
  readonly id: Provider;
  readonly oauth: ProviderOAuth;
  readonly api: ProviderApi;
  /** Present for each resource the adapter can sync; absent ones are not implemented yet. */
  readonly sync?: ResourceSyncers;
  /** Present where the adapter's mail rows have attachment rows whose content it can read. */
  readonly attachments?: AttachmentReader;
  /** Present where the adapter syncs Drive files and can stream their content. */
  readonly driveContent?: DriveFileContentReader;
  readonly driveWriter?: DriveFileWriter;
  /** Write-back (docs/write-back.md): present for each resource the adapter can write. */
  readonly writes?: ResourceWriters;
  /** Present for each resource whose changes the provider can push (issue 25, docs/push.md). */
  readonly push?: ResourcePushers;
  classifyError(error: unknown): ProviderErrorClass;
}

// --- Push channels (issue 25, docs/push.md) ---

/** What crm-sync asks of a provider when it opens a channel that pushes change notices for one resource. */
export interface PushChannelRequest {
  accessToken: string;
  /** Our receiver of change notices (connect-api). */
  notificationUrl: string;
  /** Our receiver of the provider's channel lifecycle notices, where it sends them apart (Graph). */
  lifecycleUrl: string;
  /** The secret the provider echoes in every notice (Graph clientState, Calendar channel token). */
  secret: string;
  /** The expiry asked for; the provider may grant less (the answer says). */
  expiresAt: Date;
  /** Our id for the channel where the provider lets the caller choose it (Calendar); ignored otherwise. */
  channelId: string;
}

/** A channel the provider opened: its id (the one it names in notices) and when it expires. */
export interface OpenedPushChannel {
  channelId: string;
  /** The provider's id of the watched resource, where stopping the channel needs it (Calendar `resourceId`). */
  providerResourceId: string | null;
  expiresAt: Date;
}

/** An open channel as stored, for renewing and stopping it. */
export interface PushChannelRef {
  channelId: string;
  providerResourceId: string | null;
}

/**
 * Push for one resource of a provider. Every method that talks to the provider throws a `ClassifiedProviderError`
 * on failure. `renew` is absent where the provider cannot extend a channel (Calendar: open a new one instead).
 */
export interface ResourcePush {
  /** The longest lifetime the provider grants a channel of this resource. */
  readonly maxLifetimeMs: number;
  /**
   * The secret the provider is to echo for a connection's channel, where the adapter derives it (Graph: a clientState
   * its lifecycle notices can be verified by without a lookup); a random one when absent.
   */
  secretFor?(connectionId: string): string;
  open(request: PushChannelRequest): Promise<OpenedPushChannel>;
  renew?(accessToken: string, channel: PushChannelRef, expiresAt: Date): Promise<{ expiresAt: Date }>;
  /** The provider asked for the channel to be authorized again (Graph `reauthorizationRequired`). */
  reauthorize?(accessToken: string, channel: PushChannelRef): Promise<void>;
  /** Stops the channel; one the provider no longer knows counts as stopped. */
  stop(accessToken: string, channel: PushChannelRef): Promise<void>;
}

export type ResourcePushers = Partial<Record<Resource, ResourcePush>>;
