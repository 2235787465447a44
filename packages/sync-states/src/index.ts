export { syncStates } from './repository';
export type {
  DueSync,
  NextDue,
  PageAdvance,
  RequestedResource,
  RoundCounts,
  RoundSummary,
  SliceConnection,
  SliceState,
  TriggerNowInput,
} from './types';
