import { writeAudit } from '../audit';
import { authorizeBrokerUse } from './authorize';
import { brokerToken, isRefusal } from './brokerToken';
import type { BrokerCaller, BrokerDeps, BrokerRefusal } from './types';

export interface IssuedAccessToken {
  kind: 'issued';
  accessToken: string;
  expiresAt: Date | null;
  scopes: string[];
}

/**
 * Hands a service the connection's current access token, never the refresh token. AccessTokens refreshes first
 * (single-flight) when the stored token expires within the refresh margin. Credentials are deleted when a
 * connection is disconnected, revoked or purged, so a token issued before that is never refreshed for anyone again.
 */
export async function issueAccessToken(
  deps: BrokerDeps,
  caller: BrokerCaller,
  request: { connectionId: string; purpose: string },
): Promise<IssuedAccessToken | BrokerRefusal> {
  const use = { ...request, use: 'token' as const };
  const granted = await authorizeBrokerUse(deps, caller, use);
  if (granted.kind === 'refused') return granted;
  const { connection } = granted;
  const token = await brokerToken(deps, caller, granted, use);
  if (isRefusal(token)) return token;
  await writeAudit(deps.db, {
    connectionId: connection.id,
    tenantId: connection.tenantId,
    type: 'access_token_issued',
    actor: `service:${caller.service}`,
    details: {
      purpose: request.purpose,
      scopes: connection.grantedScopes,
      expiresAt: token.expiresAt?.toISOString() ?? null,
    },
  });
  return { kind: 'issued', ...token, scopes: connection.grantedScopes };
}
