import type { ProviderErrorClass } from '@crm-sync/core';

/** What the slice does about one classified failure. */
export type FailureAction =
  /** Force a token refresh, then fetch the same page again. */
  | { action: 'refresh_and_retry' }
  /** Revocation pipeline (ConnectionOutcomes.revoked): needs_reauth, credentials deleted, every resource disabled. */
  | { action: 'revoke'; reason: string }
  /** Stop now and come back after the provider's delay (or a growing one, when it named none); not a failure. */
  | { action: 'wait'; retryAfterMs: number; guessed: boolean }
  /** Drop cursor and continuation and start a full round, in this same slice. */
  | { action: 'restart_full' }
  /** Record the failure, schedule with backoff, let the queue retry. */
  | { action: 'back_off'; reason: string }
  /** Disable this resource with the reason; other resources go on. */
  | { action: 'disable'; reason: string };

/** A slice fetching pages, and what it already tried, so a retry cannot loop. */
export interface SliceFailureContext {
  caller: 'slice';
  /** A forced refresh already happened for the current page. */
  refreshedForPage: boolean;
  /** The slice already restarted a full round once. */
  restartedFull: boolean;
}

/**
 * A token-refresh job: the failure came from the token endpoint, so a refresh has just been tried, and there is
 * no page, cursor or resource to act on.
 */
export interface RefreshFailureContext {
  caller: 'token_refresh';
}

export type FailureContext = SliceFailureContext | RefreshFailureContext;

/** The actions open to a token refresh: revoke, wait, or back off and let the queue retry. */
export type RefreshFailureAction = Extract<FailureAction, { action: 'revoke' | 'wait' | 'back_off' }>;

/**
 * The one place that maps an error kind to what happens (docs/architecture.md, Style: "A closed set of error kinds"), for a
 * slice and for a token refresh. Repeats degrade to a backoff: a token refused right after a refresh, or a cursor
 * refused on a fresh full round, point at a provider hiccup that retrying later may cure, not at something to
 * repeat at once. A token refresh has nothing to refresh again, no cursor to reset and no resource to disable,
 * so those kinds back off too.
 */
export function decideFailure(error: ProviderErrorClass, context: SliceFailureContext): FailureAction;
export function decideFailure(
  error: ProviderErrorClass,
  context: RefreshFailureContext,
): RefreshFailureAction;
export function decideFailure(error: ProviderErrorClass, context: FailureContext): FailureAction;
export function decideFailure(error: ProviderErrorClass, context: FailureContext): FailureAction {
  const refresh = context.caller === 'token_refresh';
  switch (error.kind) {
    case 'auth_expired':
      if (refresh) return { action: 'back_off', reason: 'auth_expired' };
      return context.refreshedForPage
        ? { action: 'back_off', reason: 'auth_expired: token refused right after a refresh' }
        : { action: 'refresh_and_retry' };
    case 'auth_revoked':
      return { action: 'revoke', reason: error.reason };
    case 'rate_limited':
      return {
        action: 'wait',
        retryAfterMs: Math.max(0, error.retryAfterMs),
        guessed: error.guessed === true,
      };
    case 'cursor_expired':
      if (refresh) return { action: 'back_off', reason: 'cursor_expired' };
      return context.restartedFull
        ? { action: 'back_off', reason: 'cursor_expired: refused again on a fresh full round' }
        : { action: 'restart_full' };
    case 'transient':
      return { action: 'back_off', reason: `transient: ${error.reason}` };
    case 'permanent':
      if (refresh) return { action: 'back_off', reason: `permanent: ${error.reason}` };
      return { action: 'disable', reason: error.reason };
  }
}

/**
 * Delay before the next attempt after `failures` consecutive failures: exponential from `baseMs`, capped at
 * `maxMs`, with "equal jitter" (half fixed, half random) so a provider outage does not bring every account
 * back in the same second.
 */
export function backoffDelayMs(
  failures: number,
  baseMs: number,
  maxMs: number,
  random: () => number,
): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** The longest wait for a throttled resource whose provider named no delay: throttling is not an outage. */
export const RATE_LIMIT_MAX_MS = 15 * 60_000;

/**
 * How long a throttled resource waits after `streak` throttled attempts in a row (this one included). A delay the
 * provider named is kept as given. Without one, the adapter's first wait doubles with each further refusal, up to
 * RATE_LIMIT_MAX_MS, with up to half again at random so throttled accounts spread out: the exponential backoff the
 * providers ask of throttled clients (https://developers.google.com/workspace/gmail/api/guides/handle-errors,
 * https://learn.microsoft.com/graph/throttling, https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details).
 */
export function rateLimitDelayMs(
  wait: { retryAfterMs: number; guessed: boolean },
  streak: number,
  random: () => number,
): number {
  if (!wait.guessed) return wait.retryAfterMs;
  const exponent = Math.min(Math.max(streak, 1) - 1, 30);
  const grown = Math.min(RATE_LIMIT_MAX_MS, wait.retryAfterMs * 2 ** exponent);
  return Math.min(RATE_LIMIT_MAX_MS, Math.round(grown + (grown / 2) * random()));
}
