import { proxyTarget } from './proxyTarget';

const api = {
  origins: ['https://gmail.googleapis.com', 'http://127.0.0.1:4010'],
  fetch,
  retryAfterMs: () => 10_000,
  requestBudget: { requests: 100, windowMs: 10_000 },
};
const paths = ['/gmail/v1/users/me/messages', '/calendar/v3/'];
const target = (raw: string) => {
  const result = proxyTarget(api, paths, raw);
  return result instanceof URL ? result.href : result.code;
};

describe('proxyTarget', () => {
  it.each([
    [
      'gmail.googleapis.com/gmail/v1/users/me/messages',
      'https://gmail.googleapis.com/gmail/v1/users/me/messages',
    ],
    [
      'GMAIL.googleapis.com/gmail/v1/users/me/messages/abc?format=raw',
      'https://gmail.googleapis.com/gmail/v1/users/me/messages/abc?format=raw',
    ],
    [
      '127.0.0.1:4010/calendar/v3/calendars/primary/events',
      'http://127.0.0.1:4010/calendar/v3/calendars/primary/events',
    ],
    ['127.0.0.1:4010/calendar/v3', 'http://127.0.0.1:4010/calendar/v3'],
  ])('forwards %s to %s', (raw, url) => {
    expect(target(raw)).toBe(url);
  });

  it.each([
    ['another host', 'evil.example.com/gmail/v1/users/me/messages', 'forbidden_host'],
    ['an API host on another port', '127.0.0.1:4011/calendar/v3/x', 'forbidden_host'],
    ['an absolute URL', 'https://evil.example.com/gmail/v1/users/me/messages', 'forbidden_host'],
    ['a scheme-relative URL', '/evil.example.com/gmail/v1/users/me/messages', 'forbidden_host'],
    ['userinfo', 'gmail.googleapis.com@evil.example.com/gmail/v1/users/me/messages', 'forbidden_host'],
    ['an encoded host', 'gmail%2egoogleapis.com/gmail/v1/users/me/messages', 'forbidden_host'],
    ['a path outside the policy', 'gmail.googleapis.com/gmail/v1/users/me/settings', 'forbidden_path'],
    [
      'a prefix that is not a whole segment',
      'gmail.googleapis.com/gmail/v1/users/me/messagesX',
      'forbidden_path',
    ],
    ['a dot-dot segment', 'gmail.googleapis.com/gmail/v1/users/me/messages/../settings', 'invalid_path'],
    ['an encoded dot-dot', 'gmail.googleapis.com/gmail/v1/users/me/messages/%2e%2e/settings', 'invalid_path'],
    ['an encoded slash', 'gmail.googleapis.com/gmail/v1/users/me/messages%2f..%2fsettings', 'invalid_path'],
    ['a backslash', 'gmail.googleapis.com/gmail/v1/users/me/messages\\..\\settings', 'invalid_path'],
    ['a doubled slash', 'gmail.googleapis.com/gmail/v1/users/me/messages//x', 'invalid_path'],
    ['a broken escape', 'gmail.googleapis.com/gmail/v1/users/me/messages/%zz', 'invalid_path'],
    ['a space in the query', 'gmail.googleapis.com/gmail/v1/users/me/messages?q=a b', 'invalid_path'],
    [
      'a CR LF in the query',
      'gmail.googleapis.com/gmail/v1/users/me/messages?q=a\r\nHost: evil',
      'invalid_path',
    ],
  ])('refuses %s', (_label, raw, code) => {
    expect(target(raw)).toBe(code);
  });

  it('forwards nothing when the policy names no path for the provider', () => {
    const result = proxyTarget(api, [], 'gmail.googleapis.com/gmail/v1/users/me/messages');
    expect(result).toMatchObject({ status: 403, code: 'forbidden_path' });
  });
});
