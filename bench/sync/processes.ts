// bench:sync's child processes: the sandbox CLI, waiting for a child's output, stopping one, profiling flags.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
const SANDBOX_CLI = join(ROOT, 'packages', 'provider-sandbox', 'src', 'cli', 'sandbox.ts');

/** Resolves with the first match of `pattern` in the child's output; rejects if it exits or times out first. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 60_000) {
  let output = '';
  return new Promise<string>((resolveOutput, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} not ready: ${output.slice(-2000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      // Only the tail is kept: a worker at LOG_LEVEL=info logs every slice.
      output = (output + chunk.toString()).slice(-20_000);
      if (pattern.test(output)) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolveOutput(output);
      }
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}: ${output.slice(-2000)}`));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

export async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
}

export interface SandboxProcess {
  child: ChildProcess;
  urls: { google: string; microsoft: string; hubspot: string; control: string };
  secret: string;
  caFile: string;
}

/** The sandbox CLI in a process of its own, so its CPU is not the worker's or the bench's. */
export async function startSandboxProcess(dir: string): Promise<SandboxProcess> {
  const caFile = join(dir, 'ca.pem');
  const secret = randomBytes(16).toString('hex');
  const child = spawn(process.execPath, [...profileArgs('sandbox'), '--import', 'tsx', SANDBOX_CLI], {
    cwd: ROOT,
    env: {
      ...process.env,
      SANDBOX_PORT: '0',
      SANDBOX_HTTPS_PORT: '0',
      SANDBOX_DEMO: '0',
      // The bench runs the sandbox unthrottled: HubSpot's per-account limits would cap a 50k round.
      SANDBOX_HUBSPOT_TEN_SECONDLY: '10000000',
      SANDBOX_HUBSPOT_SEARCH_PER_SECOND: '10000000',
      SANDBOX_CA_FILE: caFile,
      SANDBOX_CONTROL_SECRET: secret,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = await waitForOutput(child, /^control\s+\S+/m, 'sandbox');
  const url = (name: string) => {
    const found = new RegExp(`^${name}\\s+(\\S+)`, 'm').exec(output)?.[1];
    if (!found) throw new Error(`sandbox printed no ${name} URL`);
    return found;
  };
  return {
    child,
    urls: {
      google: url('google'),
      microsoft: url('microsoft'),
      hubspot: url('hubspot'),
      control: url('control'),
    },
    secret,
    caFile,
  };
}

export async function control<T>(
  sb: SandboxProcess,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${sb.urls.control}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${sb.secret}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`sandbox ${method} ${path}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/**
 * BENCH_PROFILE_DIR=/tmp/prof: the sandbox, the worker, the client ceiling and the syncer-only child write V8 CPU profiles there, one
 * folder each. On the command line, since Node refuses `--cpu-prof` in NODE_OPTIONS.
 */
export function profileArgs(name: string): string[] {
  const dir = process.env.BENCH_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, name)}`] : [];
}
