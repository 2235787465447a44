import type { Provider, ProviderAdapter } from '@crm-sync/core';
import type { JobProducer } from '@crm-sync/queue';
import type { ContentKeys, CredentialStore } from '@crm-sync/vault';
import type { DataSource } from 'typeorm';
import type { ConnectionGenerations } from './generations';
import type { OAuthStateStore } from './stateStore';

/** What the connection use cases need; the app builds it once at start. */
export interface ConnectionsDeps {
  db: DataSource;
  credentials: CredentialStore;
  states: OAuthStateStore;
  producer: JobProducer;
  /** Announces changes of a connection's row to connect-api's proxy (generations.ts). */
  generations: ConnectionGenerations;
  /** Only configured providers are present. */
  adapters: ReadonlyMap<Provider, ProviderAdapter>;
  /** Opens sealed content (attachment names) and shreds data keys (docs/encryption-at-rest.md). */
  content: ContentKeys;
  now?: () => Date;
}
