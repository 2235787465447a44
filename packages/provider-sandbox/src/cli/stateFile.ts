import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseSandboxState, type SandboxState } from '../core/state';

/** The state a previous run saved at `path`, or undefined when there is none yet. A damaged file is an error. */
export function loadState(path: string): SandboxState | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return parseSandboxState(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `${path}: ${error instanceof Error ? error.message : String(error)} (delete it to start afresh)`,
    );
  }
}

/**
 * Writes the state whenever it changed, checked every `everyMs`, and once more at `flush`. Each write replaces the
 * file whole (write then rename), so a crash leaves the previous state, never half of one. Owner-only: it holds the
 * sandbox's (fake) tokens.
 */
export function saveStateEvery(
  path: string,
  current: () => SandboxState,
  everyMs: number,
): { flush: () => void } {
  mkdirSync(dirname(path), { recursive: true });
  let written = '';
  const save = () => {
    const json = JSON.stringify(current());
    if (json === written) return;
    writeFileSync(`${path}.tmp`, json, { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
    written = json;
  };
  save();
  const timer = setInterval(save, everyMs);
  timer.unref();
  return {
    flush: () => {
      clearInterval(timer);
      save();
    },
  };
}
