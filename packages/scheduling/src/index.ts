export { dispatchTokenRefreshes, refreshDedupeId, type RefreshDispatchDeps } from './dispatchRefreshes';
export { dispatchDueSyncs, type DispatchDeps } from './dispatchSyncs';
export { DEFAULT_SYNC_INTERVALS, intervalSeconds, type SyncIntervals } from './intervals';
export { Scheduler, type SchedulerOptions, type TickResult } from './scheduler';
export { triggerSync, type TriggerInput } from './triggerSync';
