import type { ConnectApiConfig } from '@crm-sync/config';
import type { FastifyServerFactory } from 'fastify';
import { createServer as createHttpServer, type Server, type ServerOptions } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';

/**
 * The Node server under Fastify, HTTP or (with a certificate) HTTPS, with every timeout bounded and a
 * connection cap. Built here rather than through Fastify's `requestTimeout`/`keepAliveTimeout`/
 * `connectionTimeout` options because two of the limits exist only on Node's server: `headersTimeout` and the
 * `connectionsCheckingInterval` that enforces it and `requestTimeout`
 * (https://nodejs.org/api/http.html#httpcreateserveroptions-requestlistener); with Fastify's `serverFactory`
 * (https://fastify.dev/docs/latest/Reference/Server/#serverfactory) all of them sit in one place.
 */
export function nodeServerFactory(
  settings: Pick<ConnectApiConfig, 'timeouts' | 'maxConnections' | 'tls'>,
): FastifyServerFactory {
  const { requestMs, headersMs, keepAliveMs, connectionMs } = settings.timeouts;
  const options: ServerOptions = {
    requestTimeout: requestMs,
    headersTimeout: headersMs,
    keepAliveTimeout: keepAliveMs,
    // Node checks the two timeouts above only this often (default 30 s); a quarter of the shorter keeps a
    // stalled request from outliving its timeout by more than a quarter.
    connectionsCheckingInterval: Math.max(50, Math.floor(Math.min(requestMs, headersMs) / 4)),
  };
  return (handler) => {
    // https.Server has every http.Server member Fastify uses; Node's types declare them apart.
    const server: Server = settings.tls
      ? (createHttpsServer({ ...options, ...settings.tls }, handler) as unknown as Server)
      : createHttpServer(options, handler);
    // Destroys a socket idle in both directions this long (a client that stopped reading a response).
    server.setTimeout(connectionMs);
    server.maxConnections = settings.maxConnections;
    return server;
  };
}
