import type { ProviderErrorClass, ProviderErrorKind } from '@crm-sync/core';
import {
  backoffDelayMs,
  decideFailure,
  type FailureAction,
  type FailureContext,
  RATE_LIMIT_MAX_MS,
  rateLimitDelayMs,
  type RefreshFailureAction,
} from './errorPolicy';

// A Record over the kind union: a kind added to core fails to compile here until both tables cover it.
const EVERY_KIND: Record<ProviderErrorKind, true> = {
  auth_expired: true,
  auth_revoked: true,
  rate_limited: true,
  cursor_expired: true,
  transient: true,
  permanent: true,
};
const ERROR_KINDS = Object.keys(EVERY_KIND);

const fresh: FailureContext = { caller: 'slice', refreshedForPage: false, restartedFull: false };
const repeated: FailureContext = { caller: 'slice', refreshedForPage: true, restartedFull: true };

describe('decideFailure for a slice', () => {
  const table: Array<[string, ProviderErrorClass, FailureContext, FailureAction]> = [
    ['auth_expired refreshes once', { kind: 'auth_expired' }, fresh, { action: 'refresh_and_retry' }],
    [
      'auth_expired after a refresh backs off',
      { kind: 'auth_expired' },
      repeated,
      { action: 'back_off', reason: 'auth_expired: token refused right after a refresh' },
    ],
    [
      'auth_revoked revokes',
      { kind: 'auth_revoked', reason: 'invalid_grant' },
      fresh,
      { action: 'revoke', reason: 'invalid_grant' },
    ],
    [
      'rate_limited waits for the provider delay',
      { kind: 'rate_limited', retryAfterMs: 1500 },
      repeated,
      { action: 'wait', retryAfterMs: 1500, guessed: false },
    ],
    [
      'rate_limited without a provider delay waits the guess, to be grown',
      { kind: 'rate_limited', retryAfterMs: 1500, guessed: true },
      fresh,
      { action: 'wait', retryAfterMs: 1500, guessed: true },
    ],
    [
      'rate_limited never waits a negative time',
      { kind: 'rate_limited', retryAfterMs: -5 },
      fresh,
      { action: 'wait', retryAfterMs: 0, guessed: false },
    ],
    ['cursor_expired restarts a full round', { kind: 'cursor_expired' }, fresh, { action: 'restart_full' }],
    [
      'cursor_expired twice in a slice backs off',
      { kind: 'cursor_expired' },
      repeated,
      { action: 'back_off', reason: 'cursor_expired: refused again on a fresh full round' },
    ],
    [
      'transient backs off',
      { kind: 'transient', reason: 'HTTP 503' },
      fresh,
      { action: 'back_off', reason: 'transient: HTTP 503' },
    ],
    [
      'permanent disables the resource',
      { kind: 'permanent', reason: 'insufficient scope' },
      fresh,
      { action: 'disable', reason: 'insufficient scope' },
    ],
  ];

  it.each(table)('%s', (_, error, context, expected) => {
    expect(decideFailure(error, context)).toEqual(expected);
  });

  it('covers every kind', () => {
    expect(new Set(table.map(([, error]) => error.kind))).toEqual(new Set(ERROR_KINDS));
  });
});

describe('decideFailure for a token refresh', () => {
  const refresh = { caller: 'token_refresh' } as const;
  const table: Array<[ProviderErrorClass, RefreshFailureAction]> = [
    [{ kind: 'auth_expired' }, { action: 'back_off', reason: 'auth_expired' }],
    [
      { kind: 'auth_revoked', reason: 'invalid_grant' },
      { action: 'revoke', reason: 'invalid_grant' },
    ],
    [
      { kind: 'rate_limited', retryAfterMs: 1500 },
      { action: 'wait', retryAfterMs: 1500, guessed: false },
    ],
    [
      { kind: 'rate_limited', retryAfterMs: -5 },
      { action: 'wait', retryAfterMs: 0, guessed: false },
    ],
    [{ kind: 'cursor_expired' }, { action: 'back_off', reason: 'cursor_expired' }],
    [
      { kind: 'transient', reason: 'HTTP 503' },
      { action: 'back_off', reason: 'transient: HTTP 503' },
    ],
    [
      { kind: 'permanent', reason: 'invalid_client' },
      { action: 'back_off', reason: 'permanent: invalid_client' },
    ],
  ];

  it.each(table)('%o → %o', (error, expected) => {
    expect(decideFailure(error, refresh)).toEqual(expected);
  });

  it('covers every kind', () => {
    expect(new Set(table.map(([error]) => error.kind))).toEqual(new Set(ERROR_KINDS));
  });
});

describe('backoffDelayMs', () => {
  it('doubles per failure between half and all of the ceiling, and caps', () => {
    expect(backoffDelayMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffDelayMs(1, 1000, 60_000, () => 0.999999)).toBe(1000);
    expect(backoffDelayMs(3, 1000, 60_000, () => 0)).toBe(2000);
    expect(backoffDelayMs(3, 1000, 60_000, () => 0.5)).toBe(3000);
    expect(backoffDelayMs(50, 1000, 60_000, () => 1)).toBe(60_000);
    expect(backoffDelayMs(0, 1000, 60_000, () => 0)).toBe(500);
  });
});

describe('rateLimitDelayMs', () => {
  const half = () => 0.5;
  it('keeps a delay the provider named, however often it was throttled', () => {
    expect(rateLimitDelayMs({ retryAfterMs: 7000, guessed: false }, 9, half)).toBe(7000);
  });

  it('doubles a guessed delay with each refusal in a row, with up to half again at random', () => {
    const guess = { retryAfterMs: 10_000, guessed: true };
    expect([1, 2, 3, 4].map((streak) => rateLimitDelayMs(guess, streak, () => 0))).toEqual([
      10_000, 20_000, 40_000, 80_000,
    ]);
    expect(rateLimitDelayMs(guess, 2, () => 1)).toBe(30_000);
    expect(rateLimitDelayMs(guess, 1, half)).toBe(12_500);
  });

  it('never waits longer than RATE_LIMIT_MAX_MS', () => {
    expect(rateLimitDelayMs({ retryAfterMs: 10_000, guessed: true }, 40, () => 1)).toBe(RATE_LIMIT_MAX_MS);
  });
});
