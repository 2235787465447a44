/** How a started process stops: close listeners, finish in-flight work, release connections. */
export type Stop = () => Promise<void>;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs a process's entry point: `start` wires everything and returns how to stop. SIGTERM or SIGINT stops it once
 * and exits 0; a second signal does not cut the stop short (Ctrl-C reaches the whole process group, then a
 * supervisor forwards SIGTERM). A start that fails prints one line, no stack trace, and exits 1.
 */
export function runProcess(name: string, start: () => Promise<Stop>): void {
  start().then(
    (stop) => {
      let stopping = false;
      const onSignal = () => {
        if (stopping) return;
        stopping = true;
        stop().then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`${name}: stop failed: ${message(error)}\n`);
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    },
    (error: unknown) => {
      process.stderr.write(`${name}: failed to start: ${message(error)}\n`);
      process.exit(1);
    },
  );
}
