export { retentionDays, setRetentionDays } from './settings';
export { sweepRetention, type RetentionSweepDeps, type RetentionSweepResult } from './sweep';
