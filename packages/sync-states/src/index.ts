export { syncStates } from './repository';
export type {
  DueSync,
  NextDue,
  PageAdvance,
  RequestedResource,
  RoundCounts,
  SliceConnection,
  SliceState,
  TriggerNowInput,
} from './types';
