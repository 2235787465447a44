import { createHash } from 'node:crypto';
import { NoticeRefusedError } from '@crm-sync/core';
import { refreshTokenIdentifier } from './riscTokenSubject';

const TOKEN = '1//0gExampleRefreshToken-of-the-RISC-test_vector';
const digest = createHash('sha512').update(createHash('sha512').update(TOKEN).digest()).digest();
const subject = (alg: string, token: string, extra: object = {}) => ({
  subject_type: 'oauth_token',
  token_type: 'refresh_token',
  token_identifier_alg: alg,
  token,
  ...extra,
});

describe('refreshTokenIdentifier', () => {
  it('takes a 16-character prefix as sent', () => {
    expect(refreshTokenIdentifier(subject('prefix', TOKEN.slice(0, 16)))).toEqual({
      alg: 'prefix',
      value: TOKEN.slice(0, 16),
    });
  });

  it('brings the double SHA-512 to padded standard base64 from either alphabet, padded or not', () => {
    const expected = { alg: 'sha512-sha512', value: digest.toString('base64') };
    for (const sent of [digest.toString('base64'), digest.toString('base64url')]) {
      expect(refreshTokenIdentifier(subject('hash_base64_sha512_sha512', sent))).toEqual(expected);
    }
  });

  it.each([
    ['a prefix of another length', subject('prefix', TOKEN.slice(0, 15))],
    [
      'a hash of another length',
      subject('hash_base64_sha512_sha512', digest.subarray(0, 32).toString('base64')),
    ],
    ['a hash that is not base64', subject('hash_base64_sha512_sha512', `${'!'.repeat(86)}==`)],
    ['an unknown algorithm', subject('plain', TOKEN)],
    ['an access token', subject('prefix', TOKEN.slice(0, 16), { token_type: 'access_token' })],
    [
      'no token',
      { subject_type: 'oauth_token', token_type: 'refresh_token', token_identifier_alg: 'prefix' },
    ],
  ])('refuses %s without repeating the value', (_name, given) => {
    let refused: unknown;
    try {
      refreshTokenIdentifier(given);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(NoticeRefusedError);
    expect((refused as NoticeRefusedError).refusal).toBe('malformed');
    expect((refused as Error).message).not.toContain(TOKEN.slice(0, 15));
  });
});
