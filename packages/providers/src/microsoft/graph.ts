import {
  AuthenticationHandler,
  Client,
  type AuthenticationProvider,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';

/**
 * The last link of the Graph middleware chain, sending with the fetch we were given. The default chain ends in
 * HTTPMessageHandler, which always uses the global fetch, so a test could not trust the sandbox's certificate.
 * No RetryHandler: a connect, refresh or sync page reports throttling and 5xx at once, and the caller (the sync
 * engine's one retry policy, which honours Retry-After) decides; two retry loops would multiply waits
 * (docs/providers/clients.md#client-retries).
 */
class FetchHandler implements Middleware {
  constructor(private readonly send: typeof fetch) {}

  async execute(context: Context): Promise<void> {
    context.response = await this.send(context.request, context.options as RequestInit);
  }
}

export interface GraphClientOptions {
  baseUrl: string;
  version: string;
  accessToken: string;
  fetch?: typeof fetch;
}

/**
 * A Graph client for one access token. `customHosts` holds the base URL's host so the AuthenticationHandler attaches
 * the token to the sandbox too (it only does so for https hosts it knows,
 * docs/providers/clients.md#graph-client-https-and-customhosts).
 */
export function graphClient(options: GraphClientOptions): Client {
  const authProvider: AuthenticationProvider = { getAccessToken: () => Promise.resolve(options.accessToken) };
  const auth = new AuthenticationHandler(authProvider);
  auth.setNext(new FetchHandler(options.fetch ?? fetch));
  return Client.initWithMiddleware({
    baseUrl: options.baseUrl,
    defaultVersion: options.version,
    customHosts: new Set([new URL(options.baseUrl).hostname]),
    middleware: auth,
  });
}
