import { createHash, randomBytes } from 'node:crypto';

/** RFC 7636: a 256-bit verifier (43 base64url chars) and its S256 challenge. */
export function createPkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * 256 bits, base64url: unguessable. Used for states (only the browser sent to the provider can redeem one), flow
 * ids and browser keys.
 */
export function createSecret(): string {
  return randomBytes(32).toString('base64url');
}
