import { type Resource, type WriteResource } from '@crm-sync/core';

/** Where the Google calls go. Defaults are Google's; tests point all of them at the sandbox's one origin. */
export interface GoogleEndpoints {
  authorizationUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  /**
   * Root of the REST APIs (`/oauth2/v2/userinfo`, `/gmail/v1`, `/calendar/v3`, `/v1/people`, `/tasks/v1`, `/drive/v3`). googleapis keeps only
   * the origin of a per-API `rootUrl` (docs/providers/clients.md#googleapis-rooturl), so a path prefix here is
   * ignored. The sync clients use it only when it is configured (the sandbox serves all of them on one origin); by
   * default each API keeps its own host (gmail.googleapis.com, www.googleapis.com, people.googleapis.com,
   * tasks.googleapis.com).
   */
  apiRootUrl: string;
}

export const GOOGLE_ENDPOINTS: Readonly<GoogleEndpoints> = {
  authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenUrl: 'https://oauth2.googleapis.com/token',
  revokeUrl: 'https://oauth2.googleapis.com/revoke',
  apiRootUrl: 'https://www.googleapis.com/',
};

/**
 * Origins of the REST APIs each googleapis per-API client calls by default (their `rootUrl`s: Gmail
 * gmail.googleapis.com, Calendar www.googleapis.com, People people.googleapis.com, Tasks tasks.googleapis.com;
 * docs/providers/google.md#api-hosts-and-paths).
 * When `apiRootUrl` is configured every API is on its origin instead (the sandbox).
 */
export const GOOGLE_API_ORIGINS = [
  'https://gmail.googleapis.com',
  'https://www.googleapis.com',
  'https://people.googleapis.com',
  'https://tasks.googleapis.com',
] as const;

export const GOOGLE_DESCRIPTOR = {
  /** `openid` + email: enough for `oauth2/v2/userinfo` to return the account id and address. */
  identityScopes: ['openid', 'https://www.googleapis.com/auth/userinfo.email'],
  /** Read-only, least privilege per resource. */
  scopesByResource: {
    mail: ['https://www.googleapis.com/auth/gmail.readonly'],
    calendar: ['https://www.googleapis.com/auth/calendar.readonly'],
    contacts: ['https://www.googleapis.com/auth/contacts.readonly'],
    tasks: ['https://www.googleapis.com/auth/tasks.readonly'],
    // Only the files the user picks for the CRM or the CRM creates (docs/providers/google.md#drive-access-under-drivefile).
    files: ['https://www.googleapis.com/auth/drive.file'],
  } satisfies Partial<Record<Resource, readonly string[]>>,
  /**
   * Write-back (docs/write-back.md): asked for only when a connection is set up for writes; any one of a resource's
   * list lets a write through (docs/providers/google.md#people-writes, #calendar-writes).
   */
  writeScopesByResource: {
    contacts: ['https://www.googleapis.com/auth/contacts'],
    events: ['https://www.googleapis.com/auth/calendar.events', 'https://www.googleapis.com/auth/calendar'],
  } satisfies Partial<Record<WriteResource, readonly string[]>>,
  /** Google says `expires_in` ≈ 3599 s; refresh tokens do not rotate and have no fixed lifetime. */
  accessTokenLifetimeSeconds: 3599,
  refreshTokenRotates: false,
  /** Refresh tokens of an app whose consent screen is External and in "Testing" expire after 7 days. */
  testingModeRefreshTokenDays: 7,
  /**
   * A refresh token not used for six months stops working (https://developers.google.com/identity/protocols/oauth2,
   * "Refresh token expiration"); six calendar months are at least 181 days, so 180 warns a day early at worst.
   */
  unusedRefreshTokenDays: 180,
  /** Google rarely sends Retry-After on 429/403 rate limits; without it wait this long before retrying. */
  retryAfterHeader: 'retry-after',
  defaultRetryAfterMs: 10_000,
  /**
   * Gmail's 15,000 quota units per user per minute, as requests: `messages.list` and `messages.get` cost 5 units
   * each (docs/providers/google.md#gmail-quota), so 3,000 of the sync's usual requests a minute.
   */
  requestBudget: { requests: 3_000, windowMs: 60_000 },
  /** 403 `reason`s that mean throttling rather than a missing permission (Gmail/Calendar usage limits). */
  rateLimitReasons: ['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded', 'dailyLimitExceeded'],
  /** OAuth token-endpoint errors that mean the grant is gone and only a new consent helps. */
  revokedGrantErrors: ['invalid_grant'],
  /**
   * Page sizes are each API's maximum: fewer calls per round, and the engine commits a page per transaction. Gmail
   * gets are bounded in flight: its per-user quota is 15,000 units/minute and a get costs 5
   * (docs/providers/google.md#gmail-quota), so 25 at once saturates it on a fast link; the 429s that follow are the
   * engine's rate_limited path.
   */
  /**
   * Gmail meters its per-user quota over a short window (the sandbox: per second). A page's gets that are refused
   * wait for the next window and are retried, for up to 30 s per page, before the page reports rate_limited.
   */
  gmailQuota: { windowMs: 1_000, maxWaitMs: 30_000 },
  sync: {
    gmailPageSize: 500,
    gmailConcurrency: 25,
    calendarPageSize: 2500,
    peoplePageSize: 1000,
    /** tasks.list allows 100 a page, tasklists.list 1000 (docs/providers/google.md#tasks-sync). */
    tasksPageSize: 100,
    taskListsPageSize: 1000,
    /** files.list and changes.list both allow 1000 a page (docs/providers/google.md#drive-changes). */
    drivePageSize: 1000,
  },
} as const;
