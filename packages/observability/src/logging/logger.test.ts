import { Writable } from 'node:stream';
import { createLogger } from './logger';

const SECRET = 'ya29.SECRET-token-value-123';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ name: 'test', level: 'trace', destination });
  return { logger, lines, text: () => lines.join('\n') };
}

describe('createLogger redaction', () => {
  it('keeps ordinary fields and the message', () => {
    const { logger, lines } = capture();
    logger.info({ connectionId: 'c-1', provider: 'google', nextPageToken: 'page-2' }, 'sync started');
    const line = JSON.parse(lines[0] as string);
    expect(line).toMatchObject({
      name: 'test',
      msg: 'sync started',
      connectionId: 'c-1',
      provider: 'google',
      nextPageToken: 'page-2',
    });
  });

  it('censors a token nested four levels deep', () => {
    const { logger, text } = capture();
    logger.info({ a: { b: { c: { refresh_token: SECRET, kept: 'visible' } } } }, 'deep');
    expect(text()).not.toContain(SECRET);
    expect(JSON.parse(text()).a.b.c).toEqual({ refresh_token: '[Redacted]', kept: 'visible' });
  });

  it('censors tokens inside arrays', () => {
    const { logger, text } = capture();
    logger.info({ grants: [{ accessToken: SECRET, scope: 'mail' }, [{ idToken: SECRET }]] }, 'array');
    expect(text()).not.toContain(SECRET);
    expect(JSON.parse(text()).grants[0].scope).toBe('mail');
  });

  it('censors authorization and cookie headers, in any case and at any depth', () => {
    const { logger, text } = capture();
    logger.info({
      req: { method: 'GET', headers: { authorization: `Bearer ${SECRET}`, cookie: `sid=${SECRET}` } },
      upstream: { request: { headers: { Authorization: `Bearer ${SECRET}`, 'Set-Cookie': SECRET } } },
    });
    expect(text()).not.toContain(SECRET);
    expect(JSON.parse(text()).req.method).toBe('GET');
  });

  it('scrubs a bearer token from a logged error message and stack', () => {
    const { logger, text } = capture();
    const error = new TypeError(`request failed: Authorization: Bearer ${SECRET}`);
    logger.error(error);
    logger.error({ err: error }, 'with object');
    logger.warn({ error }, 'under error key');
    expect(text()).not.toContain(SECRET);
    const [first] = text()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(first.err.type).toBe('TypeError');
    expect(first.err.message).toBe('request failed: Authorization: Bearer [Redacted]');
    expect(first.err.stack).toContain('request failed');
    expect(first.msg).toBe('request failed: Authorization: Bearer [Redacted]');
  });

  it('censors token properties on errors and their causes, keeps system error codes', () => {
    const { logger, text, lines } = capture();
    const cause = new Error(`token endpoint said {"access_token":"${SECRET}"}`);
    const error = Object.assign(new Error('refresh failed', { cause }), {
      refreshToken: SECRET,
      status: 400,
      code: 'ECONNRESET',
    });
    logger.error({ err: error }, 'refresh');
    logger.error({ err: Object.assign(new Error('exchange failed'), { code: `4/0A${SECRET}` }) }, 'oauth');
    expect(text()).not.toContain(SECRET);
    const [first, second] = lines.map((l) => JSON.parse(l));
    expect(first.err).toMatchObject({ status: 400, code: 'ECONNRESET', refreshToken: '[Redacted]' });
    expect(first.err.message).toContain('refresh failed');
    expect(second.err.code).toBe('[Redacted]');
  });

  it('scrubs the message string and printf arguments', () => {
    const { logger, text } = capture();
    logger.info(`callback https://app/cb?state=s1&code=${SECRET}&x=1`);
    logger.info('header was %s', `Bearer ${SECRET}`);
    expect(text()).not.toContain(SECRET);
    expect(text()).toContain('state=s1');
  });

  it('scrubs child logger bindings', () => {
    const { logger, text } = capture();
    logger.child({ connectionId: 'c-2', credentials: { token: SECRET } }).info('child');
    expect(text()).not.toContain(SECRET);
    expect(JSON.parse(text()).connectionId).toBe('c-2');
  });

  it('does not modify the caller object, and survives circular references', () => {
    const { logger, text } = capture();
    const payload: Record<string, unknown> = { accessToken: SECRET };
    payload.self = payload;
    logger.info(payload, 'circular');
    expect(payload.accessToken).toBe(SECRET);
    expect(text()).not.toContain(SECRET);
    expect(JSON.parse(text()).self).toBe('[Circular]');
  });

  it('renders buffers by size only', () => {
    const { logger, text } = capture();
    logger.info({ blob: Buffer.from(SECRET) }, 'bytes');
    expect(text()).not.toContain(SECRET);
    expect(JSON.parse(text()).blob).toBe(`[Buffer ${SECRET.length} bytes]`);
  });
});
