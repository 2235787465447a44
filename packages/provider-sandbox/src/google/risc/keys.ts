import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

/** An RS256 key pair with its key id, as Google signs RISC tokens and Pub/Sub push tokens with. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function makeKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** A published key and its forgery. */
export type KeyPairs = () => Promise<{ published: SigningKey; foreign: SigningKey }>;

/**
 * Signing keys of the sandbox (`use`: `risc`, `oidc`): `published` is in its JWKS; `foreign` has the same key id but
 * is in no key set, for forged tokens (a signature that must not verify even though the kid matches). Made lazily.
 */
export function signingKeys(use: string): KeyPairs {
  let keys: Promise<{ published: SigningKey; foreign: SigningKey }> | undefined;
  return () =>
    (keys ??= (async () => {
      const kid = `sandbox-${use}-${Date.now().toString(36)}`;
      const [published, foreign] = await Promise.all([makeKey(kid), makeKey(kid)]);
      return { published, foreign };
    })());
}
