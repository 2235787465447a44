import { type Resource } from '@crm-sync/core';

/** Where the HubSpot calls go. */
export interface HubSpotEndpoints {
  /** The browser-facing install/consent page. */
  authorizationUrl: string;
  /** Root for the SDK's `basePath` (`/oauth/v1/*`, `/crm/v3/*`); no trailing slash, the SDK concatenates. */
  apiBaseUrl: string;
}

export const HUBSPOT_ENDPOINTS: Readonly<HubSpotEndpoints> = {
  authorizationUrl: 'https://app.hubspot.com/oauth/authorize',
  apiBaseUrl: 'https://api.hubapi.com',
};

export const HUBSPOT_DESCRIPTOR = {
  /** Every HubSpot app has the `oauth` scope; it is what the token-info calls need. */
  identityScopes: ['oauth'],
  scopesByResource: {
    contacts: ['crm.objects.contacts.read'],
    companies: ['crm.objects.companies.read'],
    deals: ['crm.objects.deals.read'],
    owners: ['crm.objects.owners.read'],
  } satisfies Partial<Record<Resource, readonly string[]>>,
  /**
   * Write-back of CRM objects (docs/write-back.md): per object type, the scope a write needs and the scope that lets
   * the writer define its tag property (`crm_sync_write_id`, writes/writeKey.ts) the first time it creates an object
   * of the type (docs/providers/hubspot.md#object-writes). Asked for together when a connection is set up for writes.
   */
  writeScopesByObjectType: {
    contacts: ['crm.objects.contacts.write', 'crm.schemas.contacts.write'],
    companies: ['crm.objects.companies.write', 'crm.schemas.companies.write'],
    deals: ['crm.objects.deals.write', 'crm.schemas.deals.write'],
  },
  /** 1800 s since November 2021. */
  accessTokenLifetimeSeconds: 1800,
  /** Undocumented; every token response carries a refresh token, so always store the one returned. */
  refreshTokenRotates: 'undocumented',
  retryAfterHeader: 'retry-after',
  /**
   * HubSpot does not document Retry-After for API clients; its 429 body names the policy instead. Waits per policy:
   * the 10-second rolling window, the search endpoints' 1-second limit, and the daily quota (which resets at the
   * account's midnight, unknown to us, so an hour is the compromise between hammering and stalling a day).
   */
  retryAfterMsByPolicy: { TEN_SECONDLY_ROLLING: 10_000, SECONDLY: 1_000, DAILY: 3_600_000 },
  defaultRetryAfterMs: 10_000,
  /** 110 requests per 10 seconds per installing account (docs/providers/hubspot.md#rate-limits). */
  requestBudget: { requests: 110, windowMs: 10_000 },
  /** `status` values of 400 token-endpoint bodies meaning the grant or code is gone. */
  revokedGrantStatuses: ['BAD_REFRESH_TOKEN', 'BAD_AUTH_CODE', 'invalid_grant'],
  /** Statuses HubSpot's error-handling guide says to retry: locked (423), migration (477), origin timeouts. */
  transientStatuses: [408, 423, 477, 502, 503, 504, 524],
  /**
   * The CRM object types synced into `crm_objects`, the property incremental search filters and sorts on
   * (docs/providers/hubspot.md#last-modified-properties), and the properties holding the addresses of the person
   * an object is: a contact's `email` and `hs_additional_emails`, several addresses separated by semicolons
   * (docs/providers/hubspot.md#contact-addresses). Which properties are synced is discovered per round
   * (sync/properties.ts) unless configured.
   */
  crmObjects: {
    contacts: { modifiedProperty: 'lastmodifieddate', addressProperties: ['email', 'hs_additional_emails'] },
    companies: { modifiedProperty: 'hs_lastmodifieddate', addressProperties: [] },
    deals: { modifiedProperty: 'hs_lastmodifieddate', addressProperties: [] },
  },
  /** Page sizes: the list API's and the search API's maxima, and the owners API's default (its maximum is unconfirmed). */
  listPageSize: 100,
  ownersPageSize: 100,
  searchPageSize: 200,
  /**
   * How often the engine runs a full round in place of an incremental one: HubSpot reports permanent (GDPR) deletes
   * nowhere (docs/providers/hubspot.md#permanent-deletes), so only a full listing, and the engine's sweep of what it
   * did not list, removes them.
   */
  fullRoundEveryMs: 24 * 3_600_000,
  /**
   * How often an incremental round ends with an association pass (every object's associations read again):
   * adding or removing an association moves neither object's last-modified date, so search alone never sees it
   * (docs/providers/hubspot.md#associations-and-incremental-sync). Rounds also re-read the associations of the objects
   * they fetch, and full rounds read all of them. Hourly costs two requests per 100 objects an hour (for 50,000
   * contacts, about 3% of the 110-per-10-seconds budget).
   */
  associationPassEveryMs: 3_600_000,
  /**
   * How far back each incremental search reaches before its cursor: search indexes changes "a few moments" late
   * and our clock is not HubSpot's, so a watermark alone could skip an object. Items inside it come back twice,
   * which upserts absorb.
   */
  syncOverlapMs: 5 * 60_000,
} as const;

export type HubSpotObjectType = keyof typeof HUBSPOT_DESCRIPTOR.crmObjects;
