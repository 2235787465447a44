/** The providers crm-sync connects to. Adding one means adding an adapter folder and an entry here. */
export const PROVIDERS = ['google', 'microsoft', 'hubspot'] as const;
export type Provider = (typeof PROVIDERS)[number];

/**
 * What can be synced. Mail, calendar, contacts and tasks are personal data, `files` the metadata of the Drive files
 * a user selected for the CRM (docs/drive.md); the rest are HubSpot CRM objects and owners.
 */
export const RESOURCES = [
  'mail',
  'calendar',
  'contacts',
  'tasks',
  'files',
  'companies',
  'deals',
  'owners',
] as const;
export type Resource = (typeof RESOURCES)[number];

/** Which resources each provider offers; the one place that pairs providers with resources. */
export const RESOURCES_BY_PROVIDER: Readonly<Record<Provider, readonly Resource[]>> = {
  google: ['mail', 'calendar', 'contacts', 'tasks', 'files'],
  microsoft: ['mail', 'calendar', 'contacts', 'tasks'],
  hubspot: ['contacts', 'companies', 'deals', 'owners'],
};

export const CONNECTION_STATUSES = ['active', 'needs_reauth', 'revoked', 'disconnected'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

export const SYNC_MODES = ['full', 'incremental'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

export const AUDIT_EVENT_TYPES = [
  'connected',
  'reconnected',
  'token_refreshed',
  'token_revoked',
  'disconnected',
  'purge_requested',
  'purge_completed',
  'sync_failed',
  'scopes_partial',
  'takeover_refused',
  'access_token_issued',
  'proxy_call',
  'broker_refused',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export function isResourceOf(provider: Provider, resource: Resource): boolean {
  return RESOURCES_BY_PROVIDER[provider].includes(resource);
}
