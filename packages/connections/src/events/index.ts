export {
  handleConnectionEvent,
  type EventDeps,
  type EventResult,
  type LifecycleEvent,
} from './handleConnectionEvent';
export { acceptEvent } from './acceptEvent';
