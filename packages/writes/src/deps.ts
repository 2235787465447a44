import type { ProviderAdapter, Provider } from '@crm-sync/core';
import type { ContentKeys } from '@crm-sync/vault';
import type { DataSource } from 'typeorm';

/** What accepting and applying writes needs; apps build it once. */
export interface WritesDeps {
  db: DataSource;
  /** Seals a pending write's request under its connection's data key and keys its request hash. */
  content: ContentKeys;
}

export interface ApplyDeps extends WritesDeps {
  /** Only configured providers are present. */
  adapters: ReadonlyMap<Provider, ProviderAdapter>;
  /** A valid access token for the connection (the sync's single-flight AccessTokens in the worker). */
  accessToken(connectionId: string, adapter: ProviderAdapter): Promise<string>;
}
