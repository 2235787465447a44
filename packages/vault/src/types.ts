/**
 * What a provider's token endpoint gave us, in provider-neutral form. Only this object is sealed; expiry lives
 * in a plain column so the scheduler can find due refreshes without opening anything.
 */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Scopes as granted by the provider, which may be fewer than requested. */
  scope?: string[];
  tokenType?: string;
  idToken?: string;
}

/** A credential as read back from the store. */
export interface StoredCredential {
  tokens: TokenSet;
  expiresAt: Date | null;
  /** Optimistic-lock version: pass it to `replaceIfVersion` when writing refreshed tokens. */
  version: number;
  keyId: string;
}

/** What `KeyRing` is built from; the shape `@crm-sync/config` produces from VAULT_KEYS. */
export interface KeyRingOptions {
  activeKeyId: string;
  keys: Record<string, Buffer>;
}
