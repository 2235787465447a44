export { handleConnectionEvent, type EventDeps, type EventResult } from './handleConnectionEvent';
