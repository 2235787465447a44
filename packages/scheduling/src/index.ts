export { dispatchDueAudits, type AuditDispatchDeps } from './dispatchAudits';
export { dispatchExpiryWarnings, type ExpiryWarningDeps } from './dispatchExpiryWarnings';
export { dispatchTokenRefreshes, refreshDedupeId, type RefreshDispatchDeps } from './dispatchRefreshes';
export { dispatchDueSyncs, type DispatchDeps } from './dispatchSyncs';
export { intervalMs, nextDelays, type SyncIntervals } from './intervals';
export { Scheduler, type SchedulerOptions, type TickResult } from './scheduler';
export { triggerSync, type TriggerInput } from './triggerSync';
