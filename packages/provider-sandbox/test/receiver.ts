import { createServer, type IncomingHttpHeaders } from 'node:http';
import { type AddressInfo } from 'node:net';

/** A request the receiver got: its headers and body. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  /** The address to give the sandbox: this server, at `path`. */
  url: string;
  /** Every request so far, in arrival order. */
  received: Received[];
  close(): Promise<void>;
}

/**
 * An HTTP server standing in for our notification endpoint: records every request and answers `status` (or, given a
 * function, the status it names for the request's index, from 0).
 */
export async function startReceiver(
  path: string,
  status: number | ((index: number) => number),
): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const answer = typeof status === 'number' ? status : status(received.length);
      received.push({ headers: request.headers, body });
      response.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Polls `done` every 10 ms for up to 20 s (a loaded CI machine delivers slowly); the caller then asserts. */
export async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 2000 && !(await done()); i += 1) await new Promise((r) => setTimeout(r, 10));
}
