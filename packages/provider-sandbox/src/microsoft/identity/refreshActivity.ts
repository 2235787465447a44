import { createHash } from 'node:crypto';
import { type Clock } from '../../core/types';

const INACTIVITY_LIMIT_MS = 90 * 24 * 60 * 60 * 1000;

/**
 * Entra refresh tokens die after 90 days without use (AADSTS700082); the core's token store
 * has no idle expiry, so the identity routes track last use here, keyed by a hash so no
 * token is kept in clear twice.
 */
export function createRefreshActivity(clock: Clock) {
  const lastUse = new Map<string, number>();
  const key = (token: string) => createHash('sha256').update(token).digest('base64url');
  return {
    touch(token: string): void {
      lastUse.set(key(token), clock.now());
    },
    /** True when the token was seen and then left idle past the limit. */
    idle(token: string): boolean {
      const at = lastUse.get(key(token));
      return at !== undefined && clock.now() - at > INACTIVITY_LIMIT_MS;
    },
  };
}

export type RefreshActivity = ReturnType<typeof createRefreshActivity>;
