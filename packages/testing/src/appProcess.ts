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
  let output = '';
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${app} not ready: ${output.slice(-2000)}`)),
      options.timeoutMs ?? 30_000,
    );
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${app} exited with ${code}: ${output.slice(-2000)}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"msg":"ready"')) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolveReady();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
  const port = /"opsPort":(\d+)/.exec(output)?.[1];
  return {
    child,
    output: () => output,
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
