import type { RefreshTokenIdentifier } from '@crm-sync/core';
import type { EntityManager } from 'typeorm';
import type { KeyRing } from '../crypto/keyring';
import { lookupCandidates, refreshTokenLookups } from '../crypto/refreshTokenLookups';
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
 * optimistic lock never need a key. Each write also sets the refresh token's lookup values (a double SHA-512 and a
 * keyed MAC of its prefix, refreshTokenLookups.ts), so a provider notice naming the token finds the row.
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
    const lookups = refreshTokenLookups(this.options.keyRing, tokens.refreshToken);
    const rows = await this.options.db.query<Array<{ version: number }>>(
      `INSERT INTO credentials
         (connection_id, key_id, sealed, expires_at, version, refresh_token_digest, refresh_token_prefix_mac)
       VALUES ($1, $2, $3, $4, 1, $5, $6)
       ON CONFLICT (connection_id) DO UPDATE
         SET key_id = EXCLUDED.key_id, sealed = EXCLUDED.sealed, expires_at = EXCLUDED.expires_at,
             version = credentials.version + 1, refresh_token_issued_at = now(), updated_at = now(),
             refresh_token_digest = EXCLUDED.refresh_token_digest,
             refresh_token_prefix_mac = EXCLUDED.refresh_token_prefix_mac
       RETURNING version`,
      [connectionId, keyId, sealed, expiresAt, lookups.digest, lookups.prefixMac],
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
    const lookups = refreshTokenLookups(this.options.keyRing, tokens.refreshToken);
    const [, affected] = await this.options.db.query<[unknown[], number]>(
      `UPDATE credentials
         SET key_id = $2, sealed = $3, expires_at = $4, version = version + 1,
             refreshed_at = now(), updated_at = now(),
             refresh_token_issued_at = CASE WHEN $6 THEN now() ELSE refresh_token_issued_at END,
             refresh_token_digest = $7, refresh_token_prefix_mac = $8
       WHERE connection_id = $1 AND version = $5`,
      [
        connectionId,
        keyId,
        sealed,
        expiresAt,
        expectedVersion,
        refreshTokenRotated,
        lookups.digest,
        lookups.prefixMac,
      ],
    );
    return affected === 1;
  }

  /**
   * The connections whose stored refresh token is the one a provider names (Google RISC `token-revoked`), found by
   * the lookup values alone: no token is opened. Usually one; none when the token is not (or no longer) ours.
   */
  async connectionsHolding(identifier: RefreshTokenIdentifier): Promise<string[]> {
    const { column, values } = lookupCandidates(this.options.keyRing, identifier);
    const rows = await this.options.db.query<Array<{ connection_id: string }>>(
      `SELECT connection_id FROM credentials WHERE ${column} = ANY($1) ORDER BY connection_id`,
      [values],
    );
    return rows.map((row) => row.connection_id);
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
