import { createSandbox } from './core/server';
import { type RunningSandbox, type SandboxOptions } from './core/types';
import { defaultModules } from './modules';

/** Starts the sandbox with every provider module (or `options.modules`). */
export function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return createSandbox(options.modules ?? defaultModules(), options);
}
