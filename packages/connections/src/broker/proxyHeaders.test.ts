import { forwardedRequestHeaders, returnedResponseHeaders } from './proxyHeaders';

describe('proxy headers', () => {
  it("never forwards the caller's credentials, host, cookies or hop-by-hop headers", () => {
    expect(
      forwardedRequestHeaders({
        authorization: 'Bearer service-secret',
        host: 'connect-api.internal',
        cookie: 'session=1',
        connection: 'keep-alive',
        'transfer-encoding': 'chunked',
        'x-forwarded-for': '10.0.0.1',
        'crm-sync-purpose': 'send-followup',
        'content-type': 'application/json',
        accept: 'application/json',
        Prefer: 'odata.maxpagesize=10',
      }),
    ).toEqual({
      'content-type': 'application/json',
      accept: 'application/json',
      prefer: 'odata.maxpagesize=10',
    });
  });

  it('drops hop-by-hop, auth and cookie headers of the response, and those its Connection header names', () => {
    const upstream = new Headers({
      'content-type': 'application/json',
      etag: '"1"',
      connection: 'close, x-private',
      'x-private': 'internal',
      'www-authenticate': 'Bearer error="invalid_token"',
      'set-cookie': 'a=b',
      'content-encoding': 'gzip',
      'content-length': '10',
      'retry-after': '3',
    });
    expect(returnedResponseHeaders(upstream)).toEqual({
      'content-type': 'application/json',
      etag: '"1"',
      'retry-after': '3',
    });
  });

  it('keeps the length of a body without content coding (fetch passes it on unchanged)', () => {
    const upstream = new Headers({ 'content-type': 'application/json', 'content-length': '10' });
    expect(returnedResponseHeaders(upstream)).toEqual({
      'content-type': 'application/json',
      'content-length': '10',
    });
  });
});
