export { syncStates } from './repository';
export type {
  AuditRecord,
  DueSync,
  NextDue,
  PageAdvance,
  PageAdvanced,
  RequestedResource,
  RoundCounts,
  RoundSummary,
  SliceConnection,
  SliceState,
  TriggerNowInput,
} from './types';
export type { Freshness } from './freshness';
