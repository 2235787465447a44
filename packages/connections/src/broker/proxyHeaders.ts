/**
 * Request headers a caller may send on to the provider. An allowlist: the caller's Authorization, cookies, Host,
 * forwarding and hop-by-hop headers never reach the provider; the token is added by the proxy.
 */
const FORWARDED_REQUEST_HEADERS = new Set([
  'accept',
  'accept-language',
  'content-type',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  // Graph's request options (page size, body type; the sync sends odata.maxpagesize, docs/providers/microsoft.md)
  'prefer',
  'consistencylevel',
]);

/**
 * Response headers that never go back: hop-by-hop ones (RFC 9110 §7.6.1) and any the upstream Connection header
 * names, auth challenges and cookies, and the body framing fetch has already undone (it decodes the content
 * coding, so the length and encoding no longer describe the body sent on). Content-Length does go back with a body
 * that had no content coding, which fetch hands over byte for byte: the answer then goes out in one write instead of
 * chunks and a closing chunk (RFC 9112 §6.3).
 */
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'authorization',
  'www-authenticate',
  'set-cookie',
  'content-encoding',
  'content-length',
]);

export function forwardedRequestHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || !FORWARDED_REQUEST_HEADERS.has(name.toLowerCase())) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function returnedResponseHeaders(headers: Headers): Record<string, string> {
  const named = new Set(
    (headers.get('connection') ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name) && !named.has(name)) out[name] = value;
  });
  const length = headers.get('content-length');
  if (length !== null && !headers.has('content-encoding') && !named.has('content-length')) {
    out['content-length'] = length;
  }
  return out;
}
