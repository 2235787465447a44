import { type Clock } from '../core/types';

/**
 * A clock for generators, whose `apply` runs inside the core's dataset with no time of its own:
 * modules are built before a sandbox exists, so the sandbox clock is bound in `register`.
 * Belongs in core (request: pass `now` to `ResourceGenerator.apply`); shared by microsoft/ and
 * hubspot/ until then.
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
