export { connectSandboxAccount, consentInBrowser, type Consented, type SandboxConnection } from './connect';
export {
  createConnectionsHarness,
  HARNESS_REDIRECT_URI,
  sandboxAdapters,
  type ConnectionsHarness,
  type HarnessClient,
} from './harness';
export { deletionDeps, insertSyncedRows, testReceiptSigning } from './deletion';
export { openRows, testContentKeys, type OpenedRow } from './openRows';
