import { decodeDeltaToken, decodeSkipToken, encodeDeltaToken, encodeSkipToken } from './deltaToken';

const query = { scope: 'messages:inbox', accountId: 'a', select: ['subject'], window: undefined };

test('skip and delta tokens round-trip', () => {
  const cursor = { kind: 'changes', since: 3, until: 9, afterSeq: 5 } as const;
  expect(decodeSkipToken(encodeSkipToken({ query, cursor }))).toEqual({ query, cursor });
  expect(decodeDeltaToken(encodeDeltaToken({ query, since: 12 }))).toEqual({ query, since: 12 });
});

test.each([
  '',
  'not-base64!',
  Buffer.from('{"query":{},"since":1}').toString('base64url'),
  `${Buffer.from('{"query":{},"since":1}').toString('base64url')}.AAAA`,
])('foreign token %j decodes to undefined', (token) => {
  expect(decodeSkipToken(token)).toBeUndefined();
  expect(decodeDeltaToken(token)).toBeUndefined();
});

test('an edited token, or a delta token used as a skip token, decodes to undefined', () => {
  const token = encodeDeltaToken({ query, since: 1 });
  expect(decodeSkipToken(token)).toBeUndefined();
  const [body, mac] = token.split('.') as [string, string];
  const forged = Buffer.from(JSON.stringify({ query, since: 0 })).toString('base64url');
  expect(decodeDeltaToken(`${forged}.${mac}`)).toBeUndefined();
  expect(decodeDeltaToken(`${body}.${mac}`)).toEqual({ query, since: 1 });
});
