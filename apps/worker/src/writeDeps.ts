import type { SyncEngineDeps } from '@crm-sync/sync-engine';
import type { ApplyDeps } from '@crm-sync/writes';

/** Write-back runs on the sync's own parts: its adapters, content keys and single-flight access tokens. */
export const writeDeps = (engine: SyncEngineDeps): ApplyDeps => ({
  db: engine.db,
  content: engine.content,
  adapters: engine.adapters,
  accessToken: (connectionId, adapter) => engine.tokens.get(connectionId, adapter.oauth),
});
