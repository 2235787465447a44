import type { RequestTally } from '@crm-sync/core';
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

/**
 * Counts what each request costs against the mailbox's limits: Graph evaluates every request inside a JSON batch
 * against throttling on its own (docs/providers/microsoft.md#json-batching), so a batch counts its requests.
 */
class CountingHandler implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly tally: RequestTally) {}

  async execute(context: Context): Promise<void> {
    this.tally.add(requestsIn(context));
    await this.next?.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

function requestsIn(context: Context): number {
  const url = typeof context.request === 'string' ? context.request : context.request.url;
  const body = context.options?.body;
  if (!new URL(url).pathname.endsWith('/$batch') || typeof body !== 'string') return 1;
  const parsed = JSON.parse(body) as { requests?: unknown[] };
  return Math.max(1, parsed.requests?.length ?? 0);
}

export interface GraphClientOptions {
  baseUrl: string;
  version: string;
  accessToken: string;
  fetch?: typeof fetch;
  /** Where the client's requests count (the sync's pages, the audit's id passes). */
  tally?: RequestTally;
}

/**
 * A Graph client for one access token. `customHosts` holds the base URL's host so the AuthenticationHandler attaches
 * the token to the sandbox too (it only does so for https hosts it knows,
 * docs/providers/clients.md#graph-client-https-and-customhosts).
 */
export function graphClient(options: GraphClientOptions): Client {
  const authProvider: AuthenticationProvider = { getAccessToken: () => Promise.resolve(options.accessToken) };
  const auth = new AuthenticationHandler(authProvider);
  const send = new FetchHandler(options.fetch ?? fetch);
  if (options.tally) {
    const counting = new CountingHandler(options.tally);
    counting.setNext(send);
    auth.setNext(counting);
  } else auth.setNext(send);
  return Client.initWithMiddleware({
    baseUrl: options.baseUrl,
    defaultVersion: options.version,
    customHosts: new Set([new URL(options.baseUrl).hostname]),
    middleware: auth,
  });
}
