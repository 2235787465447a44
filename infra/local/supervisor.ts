// `npm start`'s process supervision: children with prefixed output, and one way down for all of them.
import { spawn, type ChildProcess } from 'node:child_process';

/** How long a child may take over its graceful shutdown (SIGTERM) before it is killed. */
const GRACE_MS = 10_000;

export interface Supervisor {
  /** Starts `node --import tsx <args>`; a supervised child that exits brings the whole system down. */
  run(name: string, args: string[], options?: { supervised?: boolean }): ChildProcess;
  /** SIGTERM to every child still running, SIGKILL to any left after the grace period; then exits with `code`. */
  stop(code: number): Promise<never>;
}

export function createSupervisor(root: string, env: NodeJS.ProcessEnv, onStopped: () => void): Supervisor {
  const children: ChildProcess[] = [];
  let stopping: Promise<never> | undefined;

  const supervisor: Supervisor = {
    run(name, args, { supervised = true } = {}) {
      const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
        cwd: root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const prefix = `${name.padEnd(13)}| `;
      for (const stream of [child.stdout, child.stderr]) {
        let buffered = '';
        stream?.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          const lines = buffered.split('\n');
          buffered = lines.pop() ?? '';
          for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
        });
      }
      child.on('exit', (code, signal) => {
        process.stdout.write(`${prefix}exited (${signal ?? code})\n`);
        if (supervised && !stopping) void supervisor.stop(1);
      });
      children.push(child);
      return child;
    },

    stop(code) {
      stopping ??= (async () => {
        const alive = children.filter(running);
        for (const child of alive) child.kill('SIGTERM');
        const killer = setTimeout(() => {
          for (const child of alive.filter(running)) {
            process.stdout.write(`start        | ${child.pid} did not stop within ${GRACE_MS} ms: killed\n`);
            child.kill('SIGKILL');
          }
        }, GRACE_MS);
        await Promise.all(alive.map(exited));
        clearTimeout(killer);
        onStopped();
        process.exit(code);
      })();
      return stopping;
    },
  };
  return supervisor;
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

export function exited(child: ChildProcess): Promise<number> {
  if (!running(child)) return Promise.resolve(child.exitCode ?? 1);
  return new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code ?? 1)));
}
