export { publishInTransaction, type OutboxEvent, type OutboxQueue } from './record';
export { relayOutbox, type RelayDeps, type RelayResult } from './relay';
export { OutboxRelay, type RelayLoopOptions } from './relayLoop';
export { outboxStats, type OutboxStats } from './stats';
