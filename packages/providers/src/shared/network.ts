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

/**
 * True for failures below HTTP: a refused or reset connection, DNS, timeouts. Node's fetch reports them as
 * `TypeError('fetch failed')` with the socket error as `cause`; node-fetch and gaxios put the code on the error.
 */
export function isNetworkError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    if (e.name === 'AbortError' || e.name === 'TimeoutError') return true;
    if (e instanceof TypeError && e.message === 'fetch failed') return true;
    if (e.name === 'FetchError' && (e as { type?: unknown }).type === 'system') return true;
  }
  return false;
}
