import { type ProviderAdapter } from '@crm-sync/core';
import { HUBSPOT_DESCRIPTOR, HUBSPOT_ENDPOINTS, type HubSpotObjectType } from './descriptor';
import { classifyHubSpotError } from './errors';
import { createHubSpotOAuth, type HubSpotOAuthOptions } from './oauth';
import { createCrmObjectSyncer, type CrmObjectSyncerOptions } from './sync/objects';
import { createAppWebhookPush } from './push/appWebhooks';
import { createOwnerSyncer } from './sync/owners';
import { createHubSpotObjectsWriter } from './writes/objects';
import { retryAfterOr } from '../shared/retryAfter';

export interface HubSpotAdapterOptions extends HubSpotOAuthOptions {
  /** Reach of each incremental search before its cursor; default `HUBSPOT_DESCRIPTOR.syncOverlapMs`. */
  syncOverlapMs?: number;
  /** How often a full round replaces an incremental one; default `HUBSPOT_DESCRIPTOR.fullRoundEveryMs`. */
  syncFullRoundEveryMs?: number;
  /** How often an incremental round re-reads every association; default `HUBSPOT_DESCRIPTOR.associationPassEveryMs`. */
  syncAssociationPassEveryMs?: number;
  /** Properties to sync per object type; a type left out syncs every property the portal defines. */
  syncProperties?: Partial<Record<HubSpotObjectType, readonly string[]>>;
  /** Object types the app's webhook subscriptions cover, as the operator configured them; none: polled only. */
  webhookResources?: readonly HubSpotObjectType[];
}

export function createHubSpotAdapter(options: HubSpotAdapterOptions): ProviderAdapter {
  const syncOptions: CrmObjectSyncerOptions = {
    apiBaseUrl: options.endpoints?.apiBaseUrl ?? HUBSPOT_ENDPOINTS.apiBaseUrl,
    ...(options.syncOverlapMs === undefined ? {} : { overlapMs: options.syncOverlapMs }),
    ...(options.syncFullRoundEveryMs === undefined ? {} : { fullRoundEveryMs: options.syncFullRoundEveryMs }),
    ...(options.syncAssociationPassEveryMs === undefined
      ? {}
      : { associationPassEveryMs: options.syncAssociationPassEveryMs }),
  };
  // One generic syncer per object type: the types differ only in data (descriptor), never in code.
  const syncer = (objectType: HubSpotObjectType) => {
    const properties = options.syncProperties?.[objectType];
    return createCrmObjectSyncer(
      { objectType, ...HUBSPOT_DESCRIPTOR.crmObjects[objectType] },
      properties === undefined ? syncOptions : { ...syncOptions, properties },
    );
  };
  const oauth = createHubSpotOAuth(options);
  const push = (options.webhookResources ?? []).map((type) => [type, createAppWebhookPush(oauth.identity)]);
  return {
    id: 'hubspot',
    oauth,
    // Over the public CA or, in the sandbox, plain http (client.ts: the SDK's own agent option has no effect).
    api: {
      origins: [new URL(syncOptions.apiBaseUrl).origin],
      fetch,
      retryAfterMs: retryAfterOr(HUBSPOT_DESCRIPTOR.defaultRetryAfterMs),
      requestBudget: HUBSPOT_DESCRIPTOR.requestBudget,
    },
    sync: {
      contacts: syncer('contacts'),
      companies: syncer('companies'),
      deals: syncer('deals'),
      owners: createOwnerSyncer(syncOptions),
    },
    writes: {
      objects: createHubSpotObjectsWriter({
        apiBaseUrl: syncOptions.apiBaseUrl,
        ...(options.syncProperties === undefined ? {} : { properties: options.syncProperties }),
      }),
    },
    ...(push.length > 0 && { push: Object.fromEntries(push) }),
    classifyError: classifyHubSpotError,
  };
}

export {
  HUBSPOT_DESCRIPTOR,
  HUBSPOT_ENDPOINTS,
  type HubSpotEndpoints,
  type HubSpotObjectType,
} from './descriptor';
export { classifyHubSpotError, isHubSpotApiError } from './errors';
