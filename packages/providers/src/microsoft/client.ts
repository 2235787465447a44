import type { RequestTally } from '@crm-sync/core';
import { type Client } from '@microsoft/microsoft-graph-client';
import { MICROSOFT_DESCRIPTOR, MICROSOFT_ENDPOINTS, type MicrosoftEndpoints } from './descriptor';
import { graphClient } from './graph';

/** What the syncers need from the adapter options to reach Graph. */
export interface GraphAccessOptions {
  endpoints?: Partial<MicrosoftEndpoints>;
  fetch?: typeof fetch;
}

/**
 * Graph for the sync half: one client per access token (the engine hands a fresh token to every page), and the
 * origin that next/delta links must point at. The client's chain has no RetryHandler (graph.ts): throttling and
 * 5xx go straight to the engine, which owns retries and Retry-After
 * (docs/providers/clients.md#client-retries).
 */
export interface GraphAccess {
  /** Origin of the configured Graph root; a stored link anywhere else is refused, so a token never follows it. */
  readonly origin: string;
  /** A client for the token; its requests count in the tally, if one is given. */
  clientFor(accessToken: string, tally?: RequestTally): Client;
}

export function createGraphAccess(options: GraphAccessOptions): GraphAccess {
  const baseUrl = options.endpoints?.graphBaseUrl ?? MICROSOFT_ENDPOINTS.graphBaseUrl;
  return {
    origin: new URL(baseUrl).origin,
    clientFor: (accessToken, tally) =>
      graphClient({
        baseUrl,
        version: MICROSOFT_DESCRIPTOR.graphVersion,
        accessToken,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(tally ? { tally } : {}),
      }),
  };
}
