import { type Resource, type WriteResource } from '@crm-sync/core';

/** Where the Microsoft calls go. Defaults are the multi-tenant (`common`) v2.0 endpoints and Graph v1.0. */
export interface MicrosoftEndpoints {
  authorizationUrl: string;
  tokenUrl: string;
  /**
   * Graph root without the version. The Graph client sends the bearer token only to https hosts it knows
   * (graph.microsoft.com or `customHosts`), so the sandbox serves Graph over https
   * (docs/providers/clients.md#graph-client-https-and-customhosts).
   */
  graphBaseUrl: string;
}

export const MICROSOFT_ENDPOINTS: Readonly<MicrosoftEndpoints> = {
  authorizationUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
  tokenUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
  graphBaseUrl: 'https://graph.microsoft.com/',
};

export const MICROSOFT_DESCRIPTOR = {
  /**
   * `offline_access` is what makes the token endpoint return a refresh token; `User.Read` lets us read `/me`.
   * No `openid`: we take the identity from Graph, and without an id_token there is no per-tenant issuer to match.
   */
  identityScopes: ['offline_access', 'User.Read'],
  scopesByResource: {
    mail: ['Mail.Read'],
    calendar: ['Calendars.Read'],
    contacts: ['Contacts.Read'],
    tasks: ['Tasks.Read'],
  } satisfies Partial<Record<Resource, readonly string[]>>,
  /**
   * Delegated permissions a write needs (https://learn.microsoft.com/graph/api/user-post-contacts, user-post-events);
   * the first is asked for. The token endpoint reports granted Graph scopes as URLs
   * (`https://graph.microsoft.com/Contacts.ReadWrite`), so either spelling counts as granted.
   */
  writeScopesByResource: {
    contacts: ['Contacts.ReadWrite', 'https://graph.microsoft.com/Contacts.ReadWrite'],
    events: ['Calendars.ReadWrite', 'https://graph.microsoft.com/Calendars.ReadWrite'],
  } satisfies Partial<Record<WriteResource, readonly string[]>>,
  /**
   * Sent with every refresh. The v2.0 token endpoint documents `scope` as required on refresh and some deployments
   * enforce it; `.default` means "every Graph permission this user already consented to", so a refresh never asks for
   * more than was granted (which would fail with consent_required) whatever resources the connection has.
   */
  refreshScopes: ['https://graph.microsoft.com/.default', 'offline_access'],
  graphVersion: 'v1.0',
  /**
   * `Prefer: odata.maxpagesize` on delta requests. Message delta documents the header as the way to size pages and
   * says pages may hold fewer items (https://learn.microsoft.com/graph/delta-query-messages); no maximum is documented
   * for it (_unconfirmed_; the sandbox caps at 999, and Outlook's default page is 10). Selected message fields are
   * small, so 100 items keep a page (one engine transaction) short while a 100k-item folder, listed whole since the
   * mail round uses no `$filter` (sync/mail.ts), still takes only ~1,000 of the 10,000 requests per 10 minutes
   * Outlook allows per app and mailbox.
   */
  deltaPageSize: 100,
  /**
   * Mail folders followed by default: every folder (Inbox, Sent Items, Archive, the user's own) except Deleted Items
   * and Junk Email and anything under them, which a CRM user does not treat as correspondence.
   */
  mailFolders: 'all,-deleteditems,-junkemail',
  /** Access tokens live a random 60–90 minutes; `expires_in` in each response is what counts. */
  accessTokenLifetimeSeconds: { min: 3600, max: 5400 },
  /**
   * Every refresh returns a new refresh token that replaces the used one; each lives 90 days, so a grant left
   * unused for 90 days dies (AADSTS700082, "expired due to inactivity"). docs/providers/microsoft.md#refresh-token-lifetime
   */
  refreshTokenRotates: true,
  refreshTokenLifetimeDays: 90,
  retryAfterHeader: 'retry-after',
  /** The Graph client's own default when a 429/503 has no Retry-After. */
  defaultRetryAfterMs: 3_000,
  /** Outlook: 10,000 requests per 10 minutes per app and mailbox (docs/providers/microsoft.md). */
  requestBudget: { requests: 10_000, windowMs: 600_000 },
  /**
   * Token-endpoint `error`s after which only the user signing in again helps. `invalid_grant` comes with AADSTS
   * codes (70000 invalid, 70008 expired or revoked, 700082 inactive for 90 days, 50173 sessions revoked), which
   * end up in the classification's reason.
   */
  reauthErrors: ['invalid_grant', 'interaction_required', 'consent_required'],
} as const;
