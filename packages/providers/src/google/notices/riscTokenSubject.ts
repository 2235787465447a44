import { NoticeRefusedError, type RefreshTokenIdentifier } from '@crm-sync/core';
import { z } from 'zod';

/** The subject type of RISC's per-token OAuth events (`token-revoked`). */
export const TOKEN_SUBJECT_TYPE = 'oauth_token';

/** Google sends the first 16 characters of the token (https://developers.google.com/identity/protocols/risc). */
const PREFIX_CHARS = 16;
/** A SHA-512 digest is 64 bytes: 88 characters of padded base64. */
const DIGEST_BYTES = 64;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

// Google, "OAuth token identifiers": `token_type` is only ever `refresh_token`; `token_identifier_alg` is `prefix`
// or `hash_base64_sha512_sha512` (https://developers.google.com/identity/protocols/risc; the subject type is from
// https://openid.net/specs/oauth-event-types-1_0-01.html#subject-identifier-token).
const tokenSubjectSchema = z.object({
  subject_type: z.literal(TOKEN_SUBJECT_TYPE),
  token_type: z.literal('refresh_token'),
  token_identifier_alg: z.enum(['prefix', 'hash_base64_sha512_sha512']),
  token: z.string().min(1).max(256),
});

/**
 * The refresh token a `token-revoked` subject names, checked for the form Google documents. The digest is brought to
 * standard padded base64 (what the vault stores) whichever base64 alphabet it came in. A malformed identifier is
 * refused; its value is never repeated in the refusal (the prefix is a piece of a live token).
 */
export function refreshTokenIdentifier(subject: unknown): RefreshTokenIdentifier {
  const parsed = tokenSubjectSchema.safeParse(subject);
  if (!parsed.success) {
    throw new NoticeRefusedError('malformed', 'the oauth_token subject does not name a refresh token');
  }
  const { token_identifier_alg: alg, token } = parsed.data;
  if (alg === 'prefix') {
    if (token.length !== PREFIX_CHARS) {
      throw new NoticeRefusedError('malformed', `a token prefix must be ${PREFIX_CHARS} characters`);
    }
    return { alg: 'prefix', value: token };
  }
  const digest = BASE64.test(token) ? Buffer.from(token, 'base64') : Buffer.alloc(0);
  if (digest.length !== DIGEST_BYTES) {
    throw new NoticeRefusedError('malformed', 'a token hash must be base64 of a 64-byte SHA-512 digest');
  }
  return { alg: 'sha512-sha512', value: digest.toString('base64') };
}
