import type { ServicePolicy } from '@crm-sync/config';
import type { ProviderOAuth, RequestBudget } from '@crm-sync/core';
import type { ConnectionsDeps } from '../deps';

/** An access token and when it stops working (null when the provider did not say). */
export interface BrokeredToken {
  accessToken: string;
  expiresAt: Date | null;
}

/**
 * The one refresh path (the sync engine's AccessTokens, single-flight with a Redis lease), as the broker uses it:
 * `force` with the `refused` token after a provider answered 401.
 */
export interface BrokerTokens {
  current(
    connectionId: string,
    oauth: ProviderOAuth,
    options?: { force?: boolean; refused?: string },
  ): Promise<BrokeredToken>;
}

/** The connection use cases' dependencies (a grant found gone ends the connection) and the token path. */
export interface BrokerDeps extends Pick<
  ConnectionsDeps,
  'db' | 'credentials' | 'producer' | 'adapters' | 'generations'
> {
  tokens: BrokerTokens;
}

/**
 * A provider's throttling of a connection and its request budget, shared with the sync (the sync engine's
 * ConnectionThrottle): a 429 the proxy sees holds the sync back, and one the sync sees holds the proxy back; the
 * proxy's calls count against the share of the budget kept for callouts.
 */
export interface BrokerThrottle {
  hold(connectionId: string, until: Date): Promise<void>;
  admit(
    connectionId: string,
    side: 'callout',
    budget: RequestBudget,
    now: Date,
  ): Promise<{ kind: 'go' } | { kind: 'held' | 'spent'; waitMs: number }>;
  /** Counts requests made beyond the one `admit` counted (a call retried after a 401). */
  spend(
    connectionId: string,
    side: 'callout',
    budget: RequestBudget,
    requests: number,
    now: Date,
  ): Promise<void>;
  /** Gives back one request `admit` counted at `now` and that was never sent. */
  refund(connectionId: string, side: 'callout', budget: RequestBudget, now: Date): Promise<void>;
}

/** The authenticated service asking, with its policy (none: it may not use the broker). */
export interface BrokerCaller {
  service: string;
  tenants: '*' | string[];
  policy: ServicePolicy | undefined;
}

/** How the service wants to use the connection: receive the token itself, or call through the proxy. */
export type BrokerUse = 'token' | 'proxy';

/** A request the broker did not serve; `code` is stable, `detail` names no submitted value. */
export interface BrokerRefusal {
  kind: 'refused';
  status: 400 | 403 | 404 | 409 | 429 | 502;
  code: string;
  detail: string;
  /** With a 429: when the caller may try again (whole seconds, for Retry-After). */
  retryAfterSeconds?: number;
}

export const refusal = (status: BrokerRefusal['status'], code: string, detail: string): BrokerRefusal => ({
  kind: 'refused',
  status,
  code,
  detail,
});
