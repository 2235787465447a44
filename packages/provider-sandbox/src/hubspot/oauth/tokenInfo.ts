import { type Account, type SandboxContext, type TokenInfo } from '../../core/types';
import { hashString } from '../../core/random';

/** Fields both token-metadata answers share: the installing user and portal. */
export function installFields(account: Account) {
  return {
    user: account.email,
    hub_domain: `${account.email.split('@')[1] ?? 'example.com'}`,
    hub_id: Number(account.id),
    user_id: (account.seed % 90_000_000) + 10_000_000,
  };
}

export const appIdOf = (clientId: string) => (hashString(clientId) % 9_000_000) + 1_000_000;

/** Looks a token up as the given kind; other kinds and dead tokens count as unknown. */
export function lookup(ctx: SandboxContext, token: string, kind: TokenInfo['kind']): TokenInfo | undefined {
  const info = ctx.tokens.inspect('hubspot', token);
  return info?.kind === kind ? info : undefined;
}
