import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const entry = join(__dirname, 'runProcess.ts');

/** Runs a tiny process through runProcess and reports its exit code and output. */
async function run(script: string, signals: NodeJS.Signals[] = []) {
  const code = `const { runProcess } = require(${JSON.stringify(entry)});\n${script}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  if (signals.length > 0) {
    while (!output.includes('started')) await new Promise((r) => setTimeout(r, 20));
    for (const signal of signals) child.kill(signal);
  }
  const [exitCode] = (await once(child, 'exit')) as [number];
  return { exitCode, output };
}

it('stops once on SIGTERM even when SIGINT follows, and exits 0', async () => {
  const { exitCode, output } = await run(
    `runProcess('demo', async () => {
       const timer = setInterval(() => undefined, 1000);
       console.log('started');
       return async () => { await new Promise((r) => setTimeout(r, 200)); clearInterval(timer); console.log('stopped'); };
     });`,
    ['SIGTERM', 'SIGINT'],
  );
  expect(exitCode).toBe(0);
  expect(output.match(/stopped/g)).toHaveLength(1);
});

it('finishes starting, then stops, when the signal comes while it starts', async () => {
  const { exitCode, output } = await run(
    `runProcess('demo', async () => {
       console.log('started');
       await new Promise((r) => setTimeout(r, 300));
       const timer = setInterval(() => undefined, 1000);
       return async () => { clearInterval(timer); console.log('stopped'); };
     });`,
    ['SIGTERM'],
  );
  expect(exitCode).toBe(0);
  expect(output.match(/stopped/g)).toHaveLength(1);
});

it('reports a failed start in one line and exits 1', async () => {
  const { exitCode, output } = await run(
    `runProcess('demo', async () => { throw new Error('no database'); });`,
  );
  expect(exitCode).toBe(1);
  expect(output.trim()).toBe('demo: failed to start: no database');
});
