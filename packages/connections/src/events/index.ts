export { handleConnectionEvent, type EventDeps, type EventResult } from './handleConnectionEvent';
export { acceptEvent } from './acceptEvent';
