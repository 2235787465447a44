import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');

export type AppFolder = 'connect-api' | 'scheduler' | 'worker' | 'dashboard';

export interface AppProcess {
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** The ops port the `ready` line names (`opsPort`), when it names one. */
  opsPort: number | undefined;
  /** SIGTERM, then the exit code (or signal name); SIGKILL if it has not stopped after `graceMs`. */
  stop(graceMs?: number): Promise<number | string>;
}

/** Resolves with the exit code (or signal name) once the child is gone. */
export async function exited(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return child.exitCode;
  if (child.signalCode !== null) return child.signalCode;
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  return code ?? signal ?? -1;
}

/** Collects a child's stdout and stderr; `until` resolves once `marker` shows up in them. */
export function watchOutput(child: ChildProcess): {
  output(): string;
  until(marker: string, what: string, timeoutMs: number): Promise<void>;
} {
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return {
    output: () => output,
    until: (marker, what, timeoutMs) =>
      new Promise<void>((resolveSeen, reject) => {
        const check = () => {
          if (!output.includes(marker)) return;
          finish();
          resolveSeen();
        };
        const onExit = (code: number | null) => {
          finish();
          reject(new Error(`${what}: exited with ${code}: ${output.slice(-2000)}`));
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`${what}: not seen within ${timeoutMs} ms: ${output.slice(-2000)}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          child.stdout?.off('data', check);
          child.stderr?.off('data', check);
          child.off('exit', onExit);
        };
        child.stdout?.on('data', check);
        child.stderr?.on('data', check);
        child.once('exit', onExit);
        check();
        if (child.exitCode !== null || child.signalCode !== null) onExit(child.exitCode);
      }),
  };
}

/**
 * Starts `node --import tsx apps/<app>/src/main.ts` with exactly `env` (plus PATH) and resolves once it logs its
 * `ready` line; rejects with the tail of its output if it exits or is not ready in time. The one way every
 * suite runs an app as a real process.
 */
export async function startAppProcess(
  app: AppFolder,
  env: Record<string, string>,
  options: { timeoutMs?: number; nodeArgs?: string[] } = {},
): Promise<AppProcess> {
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', resolve(ROOT, 'apps', app, 'src', 'main.ts')],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const watched = watchOutput(child);
  try {
    await watched.until('"msg":"ready"', `${app} ready`, options.timeoutMs ?? 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const output = watched.output();
  const port = /"opsPort":(\d+)/.exec(output)?.[1];
  return {
    child,
    output: watched.output,
    opsPort: port === undefined ? undefined : Number(port),
    async stop(graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited(child);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
