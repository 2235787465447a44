import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load';
import { parseServicePolicies } from './servicePolicies';

const secret = 'a-service-secret-of-24-chars-or-more';
const services = [{ name: 'mailer', secret, tenants: '*' as const }];
const policy = {
  providers: ['google', 'hubspot'],
  purposes: ['send-followup'],
  scopes: ['https://www.googleapis.com/auth/gmail.readonly'],
  proxyPaths: { google: ['/gmail/v1/users/me/messages'] },
};

describe('parseServicePolicies', () => {
  it('reads the JSON itself or a file holding it, with proxy-only as the default', () => {
    const expected = new Map([['mailer', { ...policy, rawTokens: false, writes: {} }]]);
    expect(parseServicePolicies(JSON.stringify({ mailer: policy }), services)).toEqual(expected);
    const file = join(mkdtempSync(join(tmpdir(), 'policies-')), 'policies.json');
    writeFileSync(file, JSON.stringify({ mailer: policy }));
    expect(parseServicePolicies(file, services)).toEqual(expected);
    expect(parseServicePolicies(undefined, services)).toEqual(new Map());
  });

  it.each([
    ['not JSON', '{mailer', 'SERVICE_POLICIES: is not valid JSON'],
    ['a missing file', '/nonexistent/policies.json', 'neither a JSON object nor a readable file'],
    ['an unknown service', JSON.stringify({ other: policy }), '"other" is not a service of SERVICE_TOKENS'],
    ['an unknown field', JSON.stringify({ mailer: { ...policy, admin: true } }), 'mailer'],
    ['no purpose', JSON.stringify({ mailer: { ...policy, purposes: [] } }), 'mailer.purposes'],
    ['no scopes', JSON.stringify({ mailer: { ...policy, scopes: undefined } }), 'mailer.scopes'],
    ['nothing granted', JSON.stringify({ mailer: {} }), 'mailer: grants nothing'],
    ['an unknown write', JSON.stringify({ mailer: { writes: { deals: ['create'] } } }), 'mailer.writes'],
    ['a write without operations', JSON.stringify({ mailer: { writes: { contacts: [] } } }), 'mailer.writes'],
    [
      'a bad purpose',
      JSON.stringify({ mailer: { ...policy, purposes: ['Send Mail'] } }),
      'mailer.purposes.0',
    ],
    [
      'proxy paths of a provider not allowed',
      JSON.stringify({ mailer: { ...policy, proxyPaths: { microsoft: ['/v1.0/me'] } } }),
      'proxy paths for microsoft',
    ],
    ...['gmail/v1', '/gmail/../token', '/gmail//v1', '/gmail/%2e%2e', '/gmail?x=1', '/gmail\\v1'].map((p) => [
      `the path ${p}`,
      JSON.stringify({ mailer: { ...policy, proxyPaths: { google: [p] } } }),
      'google.0',
    ]),
  ])('refuses %s, naming the variable', (_label, raw, message) => {
    expect(() => parseServicePolicies(raw, services)).toThrow(message);
    expect(() => parseServicePolicies(raw, services)).toThrow('SERVICE_POLICIES');
  });

  it('grants writes alone, with no broker use', () => {
    const writer = { writes: { contacts: ['create', 'update'], events: ['delete'] } };
    expect(parseServicePolicies(JSON.stringify({ mailer: writer }), services).get('mailer')).toEqual({
      providers: [],
      purposes: [],
      scopes: [],
      rawTokens: false,
      proxyPaths: {},
      writes: writer.writes,
    });
  });

  it('is part of connect-api configuration', () => {
    const config = loadConfig({
      SERVICE_TOKENS: `mailer:${secret}:*`,
      SERVICE_POLICIES: JSON.stringify({ mailer: policy }),
    });
    expect(config.connectApi.servicePolicies.get('mailer')?.purposes).toEqual(['send-followup']);
    expect(config.connectApi.accessTokenRateLimitPerMinute).toBe(30);
  });
});
