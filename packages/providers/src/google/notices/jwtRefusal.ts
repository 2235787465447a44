import { NoticeRefusedError } from '@crm-sync/core';
import { errors } from 'jose';

/**
 * jose's reasons for refusing a Google-signed JWT (a RISC security event token, a Pub/Sub push's OIDC token), as the
 * refusal the receiver answers; the token itself is never repeated. Anything else (the key set unreachable, a
 * timeout) is not the sender's fault and goes up unchanged, so Google retries the delivery. `audience` says whom a
 * token for another audience was not for.
 */
export function jwtRefusal(error: unknown, audience: string): unknown {
  if (error instanceof errors.JWTExpired) {
    return new NoticeRefusedError('stale', 'the token is too old');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return new NoticeRefusedError('wrong_issuer', 'unexpected issuer');
    if (error.claim === 'aud') return new NoticeRefusedError('wrong_audience', `not issued for ${audience}`);
    if (error.claim === 'iat' && error.reason === 'check_failed') {
      return new NoticeRefusedError('stale', 'the token is dated in the future');
    }
    return new NoticeRefusedError('malformed', `the token's ${error.claim} claim is missing or invalid`);
  }
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JOSEAlgNotAllowed
  ) {
    return new NoticeRefusedError('bad_signature', 'the token is not signed (RS256) by a key of the issuer');
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return new NoticeRefusedError('malformed', 'the token is not a valid JWT');
  }
  return error;
}
