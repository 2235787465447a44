import { decodeDeltaToken, decodeSkipToken, encodeDeltaToken, encodeSkipToken } from './deltaToken';

const query = { scope: 'messages:inbox', accountId: 'a', select: ['subject'], window: undefined };

test('skip and delta tokens round-trip', () => {
  const cursor = { kind: 'changes', since: 3, until: 9, offset: 10 } as const;
  expect(decodeSkipToken(encodeSkipToken({ query, cursor }))).toEqual({ query, cursor });
  expect(decodeDeltaToken(encodeDeltaToken({ query, since: 12 }))).toEqual({ query, since: 12 });
});

test.each([
  '',
  'not-base64!',
  Buffer.from('{"q":{}}').toString('base64url'),
  Buffer.from('[1]').toString('base64url'),
])('foreign token %j decodes to undefined', (token) => {
  expect(decodeSkipToken(token)).toBeUndefined();
  expect(decodeDeltaToken(token)).toBeUndefined();
});

test('a delta token is not accepted as a skip token', () => {
  expect(decodeSkipToken(encodeDeltaToken({ query, since: 1 }))).toBeUndefined();
});
