import { createHash, randomBytes } from 'node:crypto';
import { type TokenSnapshot } from './state';
import {
  type AccountStore,
  type AuthResult,
  type Clock,
  type CodeExchange,
  type CodeRequest,
  type GrantResult,
  type ProviderId,
  type TokenInfo,
  type TokenStore,
} from './types';

const CODE_TTL_MS = 10 * 60 * 1000;

// Shapes loosely like the real tokens so logs and redaction rules look familiar.
const PREFIX: Record<ProviderId, { access: string; refresh: string; code: string }> = {
  google: { access: 'ya29.sbx', refresh: '1//sbx', code: '4/sbx' },
  microsoft: { access: 'EwB.sbx', refresh: 'M.C5.sbx', code: 'M.C5_code.sbx' },
  hubspot: { access: 'CJ.sbx', refresh: 'na1-sbx', code: 'hs-code-sbx' },
};

interface Grant {
  provider: ProviderId;
  accountId: string;
  clientId: string;
  scopes: string[];
  revoked: boolean;
}

interface CodeRecord {
  request: CodeRequest;
  expiresAt: number;
  used: boolean;
  grant?: Grant;
}

interface AccessRecord {
  grant: Grant;
  expiresAt: number;
}

interface RefreshRecord {
  grant: Grant;
  /** Set when rotation replaced this token or it was deleted on its own; it then counts as revoked. */
  retired: boolean;
}

const secret = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;

/** `saved`: the tokens a previous run of the sandbox issued (state.ts), live again with their grants. */
export function createTokenStore(
  clock: Clock,
  accounts: AccountStore,
  saved?: TokenSnapshot,
): TokenStore & { snapshot(): TokenSnapshot } {
  const codes = new Map<string, CodeRecord>();
  const access = new Map<string, AccessRecord>();
  const refresh = new Map<string, RefreshRecord>();
  if (saved) {
    const grants: Grant[] = saved.grants.map((g) => ({ ...g, scopes: [...g.scopes] }));
    const grantAt = (i: number) => grants[i] as Grant;
    for (const t of saved.access) access.set(t.token, { grant: grantAt(t.grant), expiresAt: t.expiresAt });
    for (const t of saved.refresh) refresh.set(t.token, { grant: grantAt(t.grant), retired: t.retired });
  }

  const accountOf = (grant: Grant) => {
    const account = accounts.get(grant.provider, grant.accountId);
    if (!account) throw new Error(`grant for unknown account ${grant.provider}:${grant.accountId}`);
    return account;
  };

  function issue(grant: Grant, withRefresh: boolean): GrantResult {
    const account = accountOf(grant);
    const ttl = account.settings.accessTokenTtlSeconds;
    const accessToken = secret(PREFIX[grant.provider].access);
    access.set(accessToken, { grant, expiresAt: clock.now() + ttl * 1000 });
    const newRefresh = withRefresh ? secret(PREFIX[grant.provider].refresh) : undefined;
    if (newRefresh !== undefined) refresh.set(newRefresh, { grant, retired: false });
    return {
      ok: true,
      grant: {
        accessToken,
        ...(newRefresh === undefined ? {} : { refreshToken: newRefresh }),
        expiresInSeconds: ttl,
        scopes: [...grant.scopes],
        account,
        clientId: grant.clientId,
      },
    };
  }

  function grantsOf(provider: ProviderId, accountId: string): Set<Grant> {
    const grants = new Set<Grant>();
    for (const record of [...access.values(), ...refresh.values()]) {
      if (record.grant.provider === provider && record.grant.accountId === accountId)
        grants.add(record.grant);
    }
    return grants;
  }

  return {
    snapshot(): TokenSnapshot {
      const grants: Grant[] = [];
      const index = new Map<Grant, number>();
      const at = (grant: Grant) => {
        let i = index.get(grant);
        if (i === undefined) index.set(grant, (i = grants.push(grant) - 1));
        return i;
      };
      // Expired access tokens are of no use to anyone after a restart; the rest are kept, revoked ones included, so
      // a revoked token stays refused rather than becoming unknown.
      const now = clock.now();
      return {
        access: [...access]
          .filter(([, r]) => r.expiresAt > now)
          .map(([token, r]) => ({ token, grant: at(r.grant), expiresAt: r.expiresAt })),
        refresh: [...refresh].map(([token, r]) => ({ token, grant: at(r.grant), retired: r.retired })),
        grants: grants.map((g) => ({ ...g, scopes: [...g.scopes] })),
      };
    },

    issueCode(request) {
      const code = secret(PREFIX[request.provider].code);
      codes.set(code, {
        request: { ...request, scopes: [...request.scopes] },
        expiresAt: clock.now() + CODE_TTL_MS,
        used: false,
      });
      return code;
    },

    exchangeCode(exchange: CodeExchange): GrantResult {
      const record = codes.get(exchange.code);
      if (!record || record.request.provider !== exchange.provider)
        return { ok: false, reason: 'unknown_code' };
      if (record.used) {
        // RFC 6749 §4.1.2: a replayed code should revoke what it issued.
        if (record.grant) record.grant.revoked = true;
        return { ok: false, reason: 'code_reused' };
      }
      record.used = true;
      const request = record.request;
      if (clock.now() > record.expiresAt) return { ok: false, reason: 'code_expired' };
      if (request.clientId !== exchange.clientId) return { ok: false, reason: 'client_mismatch' };
      if (request.redirectUri !== exchange.redirectUri) return { ok: false, reason: 'redirect_mismatch' };
      if (!pkceMatches(request, exchange.codeVerifier)) return { ok: false, reason: 'pkce_mismatch' };
      const grant: Grant = {
        provider: request.provider,
        accountId: request.accountId,
        clientId: request.clientId,
        scopes: request.scopes,
        revoked: false,
      };
      record.grant = grant;
      return issue(grant, request.offline);
    },

    refresh(provider, refreshToken, clientId) {
      const record = refresh.get(refreshToken);
      if (!record || record.grant.provider !== provider) return { ok: false, reason: 'unknown_token' };
      if (record.grant.revoked || record.retired) return { ok: false, reason: 'token_revoked' };
      if (record.grant.clientId !== clientId) return { ok: false, reason: 'client_mismatch' };
      const rotate = accountOf(record.grant).settings.refreshRotation === 'rotate';
      if (rotate) record.retired = true;
      return issue(record.grant, rotate);
    },

    revoke(provider, token) {
      const record = access.get(token) ?? refresh.get(token);
      if (!record || record.grant.provider !== provider || record.grant.revoked) return false;
      record.grant.revoked = true;
      return true;
    },

    retireRefreshToken(provider, token) {
      const record = refresh.get(token);
      if (!record || record.grant.provider !== provider) return false;
      if (record.grant.revoked || record.retired) return false;
      record.retired = true;
      return true;
    },

    expireAccessTokens(provider, accountId) {
      let count = 0;
      const now = clock.now();
      for (const record of access.values()) {
        if (
          record.grant.provider === provider &&
          record.grant.accountId === accountId &&
          record.expiresAt > now
        ) {
          record.expiresAt = now;
          count++;
        }
      }
      return count;
    },

    revokeAccount(provider, accountId) {
      const grants = grantsOf(provider, accountId);
      for (const grant of grants) grant.revoked = true;
      return grants.size;
    },

    liveRefreshToken(provider, accountId) {
      let newest: string | undefined;
      for (const [token, { grant, retired }] of refresh) {
        // Maps iterate in insertion order: the last live one is the newest.
        if (grant.provider === provider && grant.accountId === accountId && !grant.revoked && !retired)
          newest = token;
      }
      return newest;
    },

    authenticate(provider, header): AuthResult {
      const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) return { ok: false, reason: 'missing' };
      const record = access.get(match[1] as string);
      if (!record || record.grant.provider !== provider) return { ok: false, reason: 'invalid' };
      if (record.grant.revoked) return { ok: false, reason: 'revoked', accountId: record.grant.accountId };
      if (clock.now() >= record.expiresAt) {
        return { ok: false, reason: 'expired', accountId: record.grant.accountId };
      }
      return {
        ok: true,
        account: accountOf(record.grant),
        scopes: [...record.grant.scopes],
        clientId: record.grant.clientId,
      };
    },

    inspect(provider, token): TokenInfo | undefined {
      const accessRecord = access.get(token);
      const record = accessRecord ?? refresh.get(token);
      if (!record || record.grant.provider !== provider) return undefined;
      const revoked = record.grant.revoked || (!accessRecord && (record as RefreshRecord).retired);
      const expired = accessRecord !== undefined && clock.now() >= accessRecord.expiresAt;
      return {
        kind: accessRecord ? 'access' : 'refresh',
        account: accountOf(record.grant),
        clientId: record.grant.clientId,
        scopes: [...record.grant.scopes],
        ...(accessRecord ? { expiresAt: accessRecord.expiresAt } : {}),
        state: revoked ? 'revoked' : expired ? 'expired' : 'valid',
      };
    },
  };
}

function pkceMatches(request: CodeRequest, verifier: string | undefined): boolean {
  if (request.codeChallenge === undefined) return true;
  if (verifier === undefined) return false;
  if (request.codeChallengeMethod === 'plain') return verifier === request.codeChallenge;
  return createHash('sha256').update(verifier).digest('base64url') === request.codeChallenge;
}
