import type { ProviderApi } from '@crm-sync/core';
import { refusal, type BrokerRefusal } from './types';

/** A path of plain percent-encoded segments, as RFC 3986 §3.3 allows them (no `\`, no control character). */
const PATH = /^(\/[A-Za-z0-9_\-.~:@!$&'()*+,;=%]+)+\/?$/;
/** Encoded `/`, `\`, `.` and NUL: a provider or a proxy on the way could decode them into a different path. */
const ENCODED_SEPARATOR = /%(2f|5c|2e|00)/i;

/**
 * The provider URL a proxied request goes to. `raw` is the request target after `/v1/proxy/{id}/` exactly as
 * the client sent it (not decoded): `{host}/{path}[?query]`. The host must be one of the adapter's API hosts
 * (so no absolute URL, `//host` or userinfo trick can name another), the path plain segments without dot
 * segments or encoded separators, under one of the policy's prefixes (whole segments). The URL is rebuilt and
 * checked again, so whatever the URL parser normalises cannot move it off the allowed origin or path.
 */
export function proxyTarget(
  api: ProviderApi,
  allowedPaths: readonly string[],
  raw: string,
): URL | BrokerRefusal {
  const queryAt = raw.indexOf('?');
  const target = queryAt < 0 ? raw : raw.slice(0, queryAt);
  const search = queryAt < 0 ? '' : raw.slice(queryAt);
  const slash = target.indexOf('/');
  const host = slash < 0 ? target : target.slice(0, slash);
  const path = slash < 0 ? '/' : target.slice(slash);
  const origin = api.origins.find((o) => new URL(o).host === host.toLowerCase());
  if (!origin) return refusal(403, 'forbidden_host', 'the proxy does not forward to that host');
  if (!PATH.test(path) || ENCODED_SEPARATOR.test(path) || !decodable(path) || hasDotSegment(path)) {
    return refusal(400, 'invalid_path', 'the proxied path must be plain segments without dot segments');
  }
  if (/[^\x21-\x7e]/.test(search) || search.includes('#')) {
    return refusal(400, 'invalid_path', 'the proxied query must be percent-encoded');
  }
  if (!allowedPaths.some((prefix) => underPrefix(path, prefix))) {
    return refusal(403, 'forbidden_path', 'the proxy does not forward to that path for this service');
  }
  const url = new URL(`${path}${search}`, origin);
  if (url.origin !== origin || url.pathname !== path) {
    return refusal(400, 'invalid_path', 'the proxied path must be plain segments without dot segments');
  }
  return url;
}

const hasDotSegment = (path: string) => path.split('/').some((s) => s === '.' || s === '..');

function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

function underPrefix(path: string, prefix: string): boolean {
  const base = prefix.replace(/\/$/, '');
  return path === base || path.startsWith(`${base}/`);
}
