import { createHash, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { deliver } from '../../core/deliver';
import { DEFAULT_CLIENT, SandboxNotFoundError, type ProviderControlOp } from '../../core/types';
import { type KeyPairs } from './keys';
import { RISC_ISSUER } from './routes';

const OAUTH = 'https://schemas.openid.net/secevent/oauth/event-type/';
const RISC = 'https://schemas.openid.net/secevent/risc/event-type/';
const EVENTS = {
  'tokens-revoked': OAUTH,
  'token-revoked': OAUTH,
  'sessions-revoked': RISC,
  'account-disabled': RISC,
  'account-enabled': RISC,
  'account-credential-change-required': RISC,
  verification: RISC,
} as const;

const emitSpec = z.strictObject({
  /** Where the receiver listens (Google's stream `delivery.url`). */
  url: z.url(),
  event: z.enum(Object.keys(EVENTS) as [keyof typeof EVENTS]),
  /** account-disabled's reason (`hijacking`, `bulk-account`). */
  reason: z.string().optional(),
  /** The `aud`: the OAuth client the user granted; default the sandbox's default client. */
  audience: z.string().default(DEFAULT_CLIENT.clientId),
  /** Faults a receiver must refuse: another issuer, a key not in the JWKS, an old `iat`, a given `jti`. */
  issuer: z.string().default(RISC_ISSUER),
  signWith: z.enum(['published', 'foreign']).default('published'),
  issuedSecondsAgo: z.number().int().default(0),
  jti: z.string().min(1).optional(),
  /** token-revoked: how the account's refresh token is named (Google's `token_identifier_alg`). */
  tokenIdentifier: z.enum(['prefix', 'hash_base64_sha512_sha512']).default('prefix'),
});

/** Google's `token` values ("OAuth token identifiers", https://developers.google.com/identity/protocols/risc). */
const TOKEN_IDENTIFIERS = {
  prefix: (token: string) => token.slice(0, 16),
  hash_base64_sha512_sha512: (token: string) =>
    createHash('sha512').update(createHash('sha512').update(token, 'utf8').digest()).digest('base64'),
} as const;

/**
 * `POST /__sandbox/accounts/google/:accountId/ops/risc`: what Google does when a RISC event happens to the account.
 * A genuine revocation (tokens-revoked, account-disabled) first revokes the account's grants here, as at Google
 * (token-revoked: the grant of the account's newest live refresh token, which the event then names);
 * then a security event token is signed (RS256, the JWKS key) and POSTed as `application/secevent+jwt`.
 * Answers the receiver's reply and the token (so a test can replay it).
 */
export function riscEmitOp(keys: KeyPairs): ProviderControlOp {
  return async (ctx, account, body) => {
    const spec = emitSpec.parse(body);
    // Only a genuine event follows a revocation at Google; a forgery (other key or issuer) revoked nothing.
    const genuine = spec.signWith === 'published' && spec.issuer === RISC_ISSUER;
    if (genuine && (spec.event === 'tokens-revoked' || spec.event === 'account-disabled')) {
      ctx.tokens.revokeAccount('google', account.id);
    }
    let subject: Record<string, string> = { subject_type: 'iss-sub', iss: spec.issuer, sub: account.id };
    if (spec.event === 'token-revoked') {
      // One refresh token: the account's newest live one, revoked with its grant (as Google's revoke does).
      const refreshToken = ctx.tokens.liveRefreshToken('google', account.id);
      if (refreshToken === undefined)
        throw new SandboxNotFoundError('the account holds no live refresh token');
      if (genuine) ctx.tokens.revoke('google', refreshToken);
      subject = {
        subject_type: 'oauth_token',
        token_type: 'refresh_token',
        token_identifier_alg: spec.tokenIdentifier,
        token: TOKEN_IDENTIFIERS[spec.tokenIdentifier](refreshToken),
      };
    }
    const event =
      spec.event === 'verification'
        ? { state: randomUUID() }
        : { subject, ...(spec.reason === undefined ? {} : { reason: spec.reason }) };
    const key = (await keys())[spec.signWith];
    const jti = spec.jti ?? randomUUID().replace(/-/g, '');
    const token = await new SignJWT({ events: { [`${EVENTS[spec.event]}${spec.event}`]: event } })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'secevent+jwt' })
      .setIssuer(spec.issuer)
      .setAudience(spec.audience)
      .setIssuedAt(Math.floor(ctx.clock.now() / 1000) - spec.issuedSecondsAgo)
      .setJti(jti)
      .sign(key.privateKey);
    const reply = await deliver(spec.url, {
      headers: { 'content-type': 'application/secevent+jwt', accept: 'application/json' },
      body: token,
    });
    return { ...reply, jti, token };
  };
}
