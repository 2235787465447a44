import { ClassifiedProviderError } from '@crm-sync/core';
import { guarded } from './guard';
import { parseRetryAfter } from './retryAfter';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it.each([
    ['120', 120_000],
    ['0', 0],
    ['1.5', 1500],
    ['Thu, 01 Jan 2026 00:00:30 GMT', 30_000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
  ])('%s → %i ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each([undefined, null, '', 'soon'])('%p → undefined', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('guarded', () => {
  it('throws a ClassifiedProviderError whose message holds the classification, never the client error text', async () => {
    const leaky = new Error('POST /token code=SECRET-CODE client_secret=SECRET');
    const failure = await guarded(
      'google',
      'refresh',
      () => ({ kind: 'auth_revoked', reason: 'invalid_grant' }),
      () => Promise.reject(leaky),
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ClassifiedProviderError);
    const classified = failure as ClassifiedProviderError;
    expect(classified.classification).toEqual({ kind: 'auth_revoked', reason: 'invalid_grant' });
    expect(classified.message).toBe('google refresh failed: auth_revoked (invalid_grant)');
    expect(classified.cause).toBeUndefined();
    expect(JSON.stringify(classified)).not.toContain('SECRET');
  });

  it('passes a success through', async () => {
    await expect(
      guarded(
        'hubspot',
        'x',
        () => ({ kind: 'auth_expired' }),
        () => Promise.resolve(3),
      ),
    ).resolves.toBe(3);
  });
});
