export { startSandbox } from './start';
export { defaultModules } from './modules';
export {
  calendarWireId,
  createGoogleModule,
  type DriveFileData as GoogleDriveFileData,
  type TaskData as GoogleTaskData,
} from './google';
export { createMicrosoftModule, type MicrosoftModuleOptions } from './microsoft';
export { createHubspotModule, type HubSpotModuleOptions } from './hubspot';
export { createSandbox } from './core/server';
export { parseSandboxState, type SandboxState } from './core/state';
export { loopbackCertificate, type TlsMaterial } from './core/tls';
export { requireAuth, send } from './core/hooks';
export { hashString, mix, pick, seededRandom } from './core/random';
export {
  DEFAULT_CLIENT,
  DEFAULT_CONTROL_SECRET,
  PROVIDER_IDS,
  SandboxNotFoundError,
  type Account,
  type AccountSettings,
  type AccountSpec,
  type AuthResult,
  type Change,
  type Clock,
  type CounterEntry,
  type Dataset,
  type ErrorRenderer,
  type FaultAction,
  type FaultPlan,
  type OAuthClient,
  type ProviderId,
  type ProviderControlOp,
  type ProviderModule,
  type QuotaPlan,
  type ResourceGenerator,
  type RouteMeta,
  type RunningSandbox,
  type SandboxContext,
  type SandboxControl,
  type SandboxOptions,
  type SandboxUrls,
  type StoredItem,
  type TokenState,
} from './core/types';
export { FOLDER_IDS as GRAPH_MAIL_FOLDER_IDS } from './microsoft/graph/folders';
