import { createHash, randomBytes } from 'node:crypto';

/**
 * Entra answers every refresh with a new refresh token and does not revoke the one that was used: it stays valid until
 * it expires (docs/providers/microsoft.md#tokens-and-rotation). The core token store knows two modes, keep one token
 * (`same`) or revoke the used one (`rotate`, kept as the stricter opt-in). For accounts on `same`, the identity routes
 * hand out a fresh alias of the grant's token on each refresh; the original and every alias work until the grant is
 * revoked. Keyed by a hash, so no token is kept in clear twice.
 */
export function createRefreshAliases() {
  const aliases = new Map<string, string>();
  const key = (token: string) => createHash('sha256').update(token).digest('base64url');
  return {
    /** The core store's token behind `presented` (itself when it is not an alias). */
    resolve(presented: string): string {
      return aliases.get(key(presented)) ?? presented;
    },
    /** A new refresh token for the grant of `underlying`. */
    mint(underlying: string): string {
      const alias = `M.C5.sbx${randomBytes(24).toString('base64url')}`;
      aliases.set(key(alias), underlying);
      return alias;
    },
  };
}

export type RefreshAliases = ReturnType<typeof createRefreshAliases>;
