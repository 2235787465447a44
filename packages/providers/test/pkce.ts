import { createHash, randomBytes } from 'node:crypto';

/** A PKCE pair as connect-api will make it (RFC 7636: 43+ chars of base64url, S256 challenge). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The query parameters of a URL as a plain object (each key once). */
export function queryOf(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams.entries());
}
