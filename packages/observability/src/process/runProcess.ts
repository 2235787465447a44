/** How a started process stops: close listeners, finish in-flight work, release connections. */
export type Stop = () => Promise<void>;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs a process's entry point: `start` wires everything and returns how to stop. SIGTERM or SIGINT stops it once
 * and exits 0; a second signal does not cut the stop short (Ctrl-C reaches the whole process group, then a
 * supervisor forwards SIGTERM). The signals are caught from the first moment: one that arrives while `start` still
 * runs lets it finish and then stops, rather than killing a half-started process. A start that fails prints one
 * line, no stack trace, and exits 1.
 */
export function runProcess(name: string, start: () => Promise<Stop>): void {
  let stop: Stop | undefined;
  let signalled = false;
  let stopping = false;
  const stopOnce = () => {
    if (stopping || !stop) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${name}: stop failed: ${message(error)}\n`);
        process.exit(1);
      },
    );
  };
  const onSignal = () => {
    signalled = true;
    stopOnce();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  start().then(
    (started) => {
      stop = started;
      if (signalled) stopOnce();
    },
    (error: unknown) => {
      process.stderr.write(`${name}: failed to start: ${message(error)}\n`);
      process.exit(1);
    },
  );
}
