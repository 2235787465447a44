import { isIP } from 'node:net';
import { ConfigError } from './errors';
import type { Env } from './schema';
import { parseServicePolicies, type ServicePolicy } from './servicePolicies';
import { DEV_SERVICE_TOKENS, parseServiceTokens, type ServiceToken } from './serviceTokens';
import { readPemFile } from './transport';

/**
 * Fastify's `trustProxy` (https://fastify.dev/docs/latest/Reference/Server/#trustproxy): `false` believes no
 * X-Forwarded-For, a number that many hops from the socket, a list only those addresses and networks.
 */
export type TrustProxy = false | number | string[];

export interface ConnectApiTimeouts {
  requestMs: number;
  headersMs: number;
  keepAliveMs: number;
  connectionMs: number;
}

export interface ConnectApiConfig {
  host: string;
  port: number;
  publicBaseUrl: string;
  serviceTokens: ServiceToken[];
  /** Token-broker policy by service name; a service without one may not use the broker. */
  servicePolicies: ReadonlyMap<string, ServicePolicy>;
  accessTokenRateLimitPerMinute: number;
  /** The token broker refreshes a token expiring within this before handing it out (as the worker does). */
  tokenRefreshMarginMs: number;
  proxyUpstreamTimeoutMs: number;
  /** Proxied calls one service may make per connection per minute. */
  proxyRateLimitPerMinute: number;
  /** The share of each connection's provider requests kept for callouts (PROVIDER_CALLOUT_SHARE). */
  calloutShare: number;
  /** Multiplies the providers' request budgets (PROVIDER_REQUEST_BUDGET_FACTOR). */
  requestBudgetFactor: number;
  /** Largest attachment the content route streams (ATTACHMENT_MAX_BYTES). */
  attachmentMaxBytes: number;
  /** Largest file the Drive upload route takes (DRIVE_UPLOAD_MAX_BYTES). */
  driveUploadMaxBytes: number;
  allowedRedirectOrigins: string[];
  callbackRateLimitPerMinute: number;
  connectStartRateLimitPerMinute: number;
  bodyLimitBytes: number;
  trustProxy: TrustProxy;
  timeouts: ConnectApiTimeouts;
  maxConnections: number;
  /** Set when connect-api serves HTTPS itself. */
  tls: { cert: string; key: string } | undefined;
  /** Where `/metrics` and `/healthz` are served for operators. */
  ops: { host: string; port: number };
}

export function connectApiConfig(env: Env): ConnectApiConfig {
  if (env.CONNECT_API_HEADERS_TIMEOUT_MS > env.CONNECT_API_REQUEST_TIMEOUT_MS) {
    // Node refuses a headers timeout longer than the request timeout (http.createServer, ERR_OUT_OF_RANGE).
    throw new ConfigError('CONNECT_API_HEADERS_TIMEOUT_MS', 'must not exceed CONNECT_API_REQUEST_TIMEOUT_MS');
  }
  const serviceTokens = parseServiceTokens(env.SERVICE_TOKENS ?? DEV_SERVICE_TOKENS);
  return {
    host: env.CONNECT_API_HOST,
    port: env.CONNECT_API_PORT,
    publicBaseUrl: env.PUBLIC_BASE_URL.replace(/\/+$/, ''),
    serviceTokens,
    servicePolicies: parseServicePolicies(env.SERVICE_POLICIES, serviceTokens),
    accessTokenRateLimitPerMinute: env.ACCESS_TOKEN_RATE_LIMIT_PER_MINUTE,
    tokenRefreshMarginMs: env.TOKEN_REFRESH_MARGIN_MS,
    proxyUpstreamTimeoutMs: env.PROXY_UPSTREAM_TIMEOUT_MS,
    proxyRateLimitPerMinute: env.PROXY_RATE_LIMIT_PER_MINUTE,
    calloutShare: env.PROVIDER_CALLOUT_SHARE,
    requestBudgetFactor: env.PROVIDER_REQUEST_BUDGET_FACTOR,
    attachmentMaxBytes: env.ATTACHMENT_MAX_BYTES,
    driveUploadMaxBytes: env.DRIVE_UPLOAD_MAX_BYTES,
    allowedRedirectOrigins: parseOrigins(env.ALLOWED_REDIRECT_ORIGINS),
    callbackRateLimitPerMinute: env.CALLBACK_RATE_LIMIT_PER_MINUTE,
    connectStartRateLimitPerMinute: env.CONNECT_START_RATE_LIMIT_PER_MINUTE,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    timeouts: {
      requestMs: env.CONNECT_API_REQUEST_TIMEOUT_MS,
      headersMs: env.CONNECT_API_HEADERS_TIMEOUT_MS,
      keepAliveMs: env.CONNECT_API_KEEP_ALIVE_TIMEOUT_MS,
      connectionMs: env.CONNECT_API_CONNECTION_TIMEOUT_MS,
    },
    maxConnections: env.CONNECT_API_MAX_CONNECTIONS,
    tls: serverTls(env),
    ops: { host: env.CONNECT_API_OPS_HOST, port: env.CONNECT_API_OPS_PORT },
  };
}

function serverTls(env: Env): ConnectApiConfig['tls'] {
  const { CONNECT_API_TLS_CERT_FILE: certFile, CONNECT_API_TLS_KEY_FILE: keyFile } = env;
  if (!certFile && !keyFile) return undefined;
  if (!certFile) throw new ConfigError('CONNECT_API_TLS_CERT_FILE', 'required with CONNECT_API_TLS_KEY_FILE');
  if (!keyFile) throw new ConfigError('CONNECT_API_TLS_KEY_FILE', 'required with CONNECT_API_TLS_CERT_FILE');
  return {
    cert: readPemFile('CONNECT_API_TLS_CERT_FILE', certFile),
    key: readPemFile('CONNECT_API_TLS_KEY_FILE', keyFile),
  };
}

/**
 * The setting as Fastify's `trustProxy` option. Fastify's types leave out the hop count its docs allow, so a count
 * becomes the same rule as a function: proxy-addr asks about each hop from the socket inwards, numbered from 0.
 */
export function trustProxyOption(
  trust: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

/** Used by the dashboard too: both sit behind the same kind of ingress. */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  if (raw === undefined || raw === 'false') return false;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops < 1) throw new ConfigError('TRUST_PROXY', 'a hop count must be at least 1 (unset means none)');
    return hops;
  }
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [address = '', bits, extra] = entry.split('/');
      const family = isIP(address);
      const max = family === 6 ? 128 : 32;
      const prefixOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= max);
      if (family === 0 || !prefixOk || extra !== undefined) {
        throw new ConfigError('TRUST_PROXY', `"${entry}" is not a hop count, an IP address or a CIDR`);
      }
      return entry;
    });
}

function parseOrigins(raw: string): string[] {
  return raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map((origin) => {
      try {
        return new URL(origin).origin;
      } catch {
        throw new ConfigError(
          'ALLOWED_REDIRECT_ORIGINS',
          `"${origin}" is not an origin such as https://crm.example.com`,
        );
      }
    });
}
