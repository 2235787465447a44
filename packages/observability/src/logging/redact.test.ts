import { isSensitiveKey, redactString } from './redact';

describe('isSensitiveKey', () => {
  it.each([
    'access_token',
    'refreshToken',
    'ID_TOKEN',
    'Authorization',
    'set-cookie',
    'code',
    'code_verifier',
    'clientSecret',
    'password',
    'sealed',
    'token',
    'hubspotAccessToken',
    'webhookSecret',
  ])('treats %s as sensitive', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });

  it.each(['connectionId', 'tokenType', 'nextPageToken', 'syncToken', 'expiresAt', 'statusCode'])(
    'leaves %s alone',
    (key) => {
      expect(isSensitiveKey(key)).toBe(false);
    },
  );
});

describe('redactString', () => {
  it.each([
    ['Authorization: Bearer abc.def-ghi', 'Authorization: Bearer [Redacted]'],
    ['basic dXNlcjpwYXNz==', 'basic [Redacted]'],
    ['GET /cb?code=4/0AX-y&state=s', 'GET /cb?code=[Redacted]&state=s'],
    ['body access_token=abc&expires_in=3600', 'body access_token=[Redacted]&expires_in=3600'],
    ['{"refresh_token": "r\\"x", "ok": 1}', '{"refresh_token": "[Redacted]", "ok": 1}'],
    ['id eyJhbGciOi.eyJzdWIiOiIx.sig-part here', 'id [Redacted] here'],
    ['postcode=AB1 is not a code parameter', 'postcode=AB1 is not a code parameter'],
    [
      'connect postgres://app:pa55@db:5432/crm failed',
      'connect postgres://app:[Redacted]@db:5432/crm failed',
    ],
    ['redis://:s3cret@cache:6379/0', 'redis://:[Redacted]@cache:6379/0'],
    ['see https://example.com/a:b/c', 'see https://example.com/a:b/c'],
  ])('%s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });
});
