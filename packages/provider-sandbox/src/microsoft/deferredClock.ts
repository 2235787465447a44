import { type Clock } from '../core/types';

/**
 * A clock for the Graph error renderer: Graph error bodies carry a date, the core calls the
 * renderer without a context, and modules are built before their sandbox exists, so the sandbox
 * clock is bound in `register`.
 */
export interface DeferredClock extends Clock {
  bind(clock: Clock): void;
}

export function deferredClock(): DeferredClock {
  let target: Clock = { now: () => Date.now() };
  return {
    now: () => target.now(),
    bind(clock) {
      target = clock;
    },
  };
}
