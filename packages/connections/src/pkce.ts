import { createHash, randomBytes } from 'node:crypto';

/** RFC 7636: a 256-bit verifier (43 base64url chars) and its S256 challenge. */
export function createPkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** 256 bits: unguessable, so a state can only be redeemed by the browser that was sent to the provider. */
export function createState(): string {
  return randomBytes(32).toString('base64url');
}
