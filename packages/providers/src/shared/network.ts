/** Socket-level error codes that mean "the request may not have reached the provider; try again later". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  type?: unknown;
  cause?: unknown;
}

/**
 * True for failures below HTTP: a refused or reset connection, DNS, timeouts. Node's fetch reports them as
 * `TypeError('fetch failed')` with the socket error as `cause`; node-fetch and gaxios put the code on the error.
 * Checked by shape, not `instanceof`: fetch's errors come from Node's own realm, which is not the caller's under
 * Jest or `vm`.
 */
export function isNetworkError(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; typeof e === 'object' && e !== null && depth < 4; depth++) {
    const { name, message, code, type, cause } = e as ErrorLike;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    if (name === 'AbortError' || name === 'TimeoutError') return true;
    if (name === 'TypeError' && message === 'fetch failed') return true;
    if (name === 'FetchError' && type === 'system') return true;
    e = cause;
  }
  return false;
}

/** A short, secret-free description of something that is not a provider error (a bug, most likely). */
export function unexpected(error: unknown): string {
  const name = typeof error === 'object' && error !== null ? (error as ErrorLike).name : undefined;
  return typeof name === 'string' && /^\w{1,40}$/.test(name) ? `unexpected ${name}` : 'unexpected failure';
}
