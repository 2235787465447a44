import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE, problem } from './httpErrors';

/** Node's parser errors that have a status of their own; anything else a client sends unreadably is a 400. */
const STATUS_BY_CODE: Record<string, { status: number; code: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'headers_too_large',
    detail: 'the request headers are too large',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'request_timeout',
    detail: 'the request did not arrive in time',
  },
};

/**
 * Answers a request Node's HTTP parser refused before Fastify saw it (oversized headers, malformed request line,
 * a request that timed out) with the same problem document as every other error, instead of Node's bare status
 * line, then closes the connection: the parser's state is unknown after such an error.
 * (Fastify's `clientErrorHandler`: https://fastify.dev/docs/latest/Reference/Server/#clienterrorhandler)
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const known = STATUS_BY_CODE[error.code ?? ''] ?? {
    status: 400,
    code: 'invalid_request',
    detail: 'the request could not be read',
  };
  const body = JSON.stringify(problem(known.status, known.code, known.detail));
  socket.end(
    `HTTP/1.1 ${known.status} ${problem(known.status, known.code, known.detail).title}\r\n` +
      `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}
