import type { EntityManager } from 'typeorm';
import type { KeyRing } from '../crypto/keyring';
import { openTokens, sealTokens } from '../crypto/seal';
import type { StoredCredential, TokenSet } from '../types';

/** A DataSource or a transaction's EntityManager: both run SQL, which is all the store needs. */
export type SqlRunner = Pick<EntityManager, 'query'>;

export interface CredentialStoreOptions {
  db: SqlRunner;
  keyRing: KeyRing;
}

interface CredentialRecord {
  key_id: string;
  sealed: Buffer;
  expires_at: Date | null;
  version: number;
}

/**
 * Sealed OAuth tokens in the `credentials` table, one row per connection. Tokens are sealed before they leave
 * this process and opened only on load; expiry and version stay in clear columns so the scheduler and the
 * optimistic lock never need a key.
 */
export class CredentialStore {
  constructor(private readonly options: CredentialStoreOptions) {}

  /** The same store, running its statements inside the caller's transaction. */
  withManager(manager: EntityManager): CredentialStore {
    return new CredentialStore({ ...this.options, db: manager });
  }

  /**
   * Stores a new grant, replacing any previous one (reconnect). Returns the row's version afterwards; a replace
   * bumps it so a refresh still holding the old grant's version cannot overwrite the new grant. A grant brings a
   * new refresh token, so its issue time (`refresh_token_issued_at`, for expiry warnings) restarts.
   */
  async save(connectionId: string, tokens: TokenSet, expiresAt: Date | null): Promise<number> {
    const { keyId, sealed } = sealTokens(this.options.keyRing, connectionId, tokens);
    const rows = await this.options.db.query<Array<{ version: number }>>(
      `INSERT INTO credentials (connection_id, key_id, sealed, expires_at, version)
       VALUES ($1, $2, $3, $4, 1)
       ON CONFLICT (connection_id) DO UPDATE
         SET key_id = EXCLUDED.key_id, sealed = EXCLUDED.sealed, expires_at = EXCLUDED.expires_at,
             version = credentials.version + 1, refresh_token_issued_at = now(), updated_at = now()
       RETURNING version`,
      [connectionId, keyId, sealed, expiresAt],
    );
    const version = rows[0]?.version;
    if (version === undefined) throw new Error('credentials upsert returned no row');
    return version;
  }

  /** Opens the stored tokens; null when the connection has none. Vault errors (wrong key, tampering) throw. */
  async load(connectionId: string): Promise<StoredCredential | null> {
    const rows = await this.options.db.query<CredentialRecord[]>(
      'SELECT key_id, sealed, expires_at, version FROM credentials WHERE connection_id = $1',
      [connectionId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      tokens: openTokens(this.options.keyRing, connectionId, row.sealed),
      expiresAt: row.expires_at,
      version: row.version,
      keyId: row.key_id,
    };
  }

  /**
   * Writes refreshed tokens only if the row is still at `expectedVersion`, bumping it. False means another
   * writer got there first (or the credential was deleted): the caller must reload, not retry blindly, or it
   * would overwrite a refresh token the provider has just rotated. `refreshTokenRotated`: the provider issued a new
   * refresh token with this refresh, which restarts its lifetime (expiry warnings).
   */
  async replaceIfVersion(
    connectionId: string,
    expectedVersion: number,
    tokens: TokenSet,
    expiresAt: Date | null,
    refreshTokenRotated = false,
  ): Promise<boolean> {
    const { keyId, sealed } = sealTokens(this.options.keyRing, connectionId, tokens);
    const [, affected] = await this.options.db.query<[unknown[], number]>(
      `UPDATE credentials
         SET key_id = $2, sealed = $3, expires_at = $4, version = version + 1,
             refreshed_at = now(), updated_at = now(),
             refresh_token_issued_at = CASE WHEN $6 THEN now() ELSE refresh_token_issued_at END
       WHERE connection_id = $1 AND version = $5`,
      [connectionId, keyId, sealed, expiresAt, expectedVersion, refreshTokenRotated],
    );
    return affected === 1;
  }

  /** Removes the row (revocation, disconnect); true if there was one. Nothing is left blanked behind. */
  async delete(connectionId: string): Promise<boolean> {
    const [, affected] = await this.options.db.query<[unknown[], number]>(
      'DELETE FROM credentials WHERE connection_id = $1',
      [connectionId],
    );
    return affected === 1;
  }
}
