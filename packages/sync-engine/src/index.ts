export {
  backoffDelayMs,
  decideFailure,
  type FailureAction,
  type FailureContext,
  type RefreshFailureAction,
  type RefreshFailureContext,
  type SliceFailureContext,
} from './policy/errorPolicy';
export { AuditCallBudget, type CallBudgetOptions } from './audit/callBudget';
export { runAudit } from './audit/runAudit';
export type { AuditCounts, AuditOutcome, AuditRequest } from './audit/types';
export { canonicalJson, contentHash } from './records/contentHash';
export {
  MissingObjectTypeError,
  writePage,
  type PageCounts,
  type PageRound,
  type PageTarget,
} from './records/writePage';
export { PageSealer, type ContentOwner } from './records/sealing';
export { messageTerms } from './records/messageTerms';
export {
  BACKLOG_TABLES,
  sealBacklog,
  type BacklogProgress,
  type SealBacklogOptions,
} from './backlog/sealBacklog';
export { runSlice } from './slice/runSlice';
export {
  storeSelected,
  type StoreSelectedOutcome,
  type StoreSelectedRequest,
} from './selection/storeSelected';
export {
  ConnectionThrottle,
  type Admission,
  type BudgetSide,
  type ConnectionThrottleOptions,
} from './throttle/connectionThrottle';
export { refreshConnectionToken, type RefreshOutcome } from './tokens/refreshConnection';
export {
  AccessTokens,
  DEFAULT_ACCESS_TOKEN_OPTIONS,
  type AccessTokensOptions,
  type TokenRefreshed,
  type GetTokenOptions,
} from './tokens/accessTokens';
export {
  type ConnectionOutcomes,
  type DisabledResource,
  type RevokedGrant,
  type RoundReport,
  type SkipReason,
  type SliceCounts,
  type SliceOutcome,
  type SliceOutcomeKind,
  type SliceRequest,
  type SyncEngineDeps,
  type SyncEngineOptions,
} from './types';
