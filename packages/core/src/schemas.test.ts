import {
  connectionEventSchema,
  InvalidPayloadError,
  parsePayload,
  providerResourceSchema,
  syncJobId,
  syncJobSchema,
  tokenRefreshJobSchema,
} from './index';

const id = '4b0d1a0e-8a1f-4f3e-9c3a-1d2e3f4a5b6c';
const base = {
  eventId: '9c6f2a34-5b1e-4c8d-a7f0-0123456789ab',
  occurredAt: '2026-11-24T10:00:00Z',
  tenantId: 't1',
};

describe('job payloads', () => {
  it('accepts ids only and derives a colon-free job id', () => {
    const data = parsePayload(syncJobSchema, { connectionId: id, resource: 'mail' }, 'sync job');
    expect(syncJobId(data)).toBe(`${id}.mail`);
    expect(syncJobId(data)).not.toContain(':');
  });

  it.each([
    [
      'an extra field (a token must never ride along)',
      { connectionId: id, resource: 'mail', accessToken: 'x' },
    ],
    ['a non-uuid connection', { connectionId: 'abc', resource: 'mail' }],
    ['an unknown resource', { connectionId: id, resource: 'photos' }],
    ['nothing', undefined],
  ])('rejects %s', (_label, input) => {
    expect(() => parsePayload(syncJobSchema, input, 'sync job')).toThrow(InvalidPayloadError);
  });

  it('reports paths, never the values', () => {
    const secret = 'ya29.secret-looking-value';
    try {
      parsePayload(tokenRefreshJobSchema, { connectionId: secret }, 'refresh job');
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidPayloadError);
      expect((error as InvalidPayloadError).issues[0]).toMatch(/^connectionId: /);
      expect((error as Error).message).not.toContain(secret);
    }
  });

  it('pairs resources with the providers that offer them', () => {
    expect(providerResourceSchema.safeParse({ provider: 'hubspot', resource: 'deals' }).success).toBe(true);
    expect(providerResourceSchema.safeParse({ provider: 'google', resource: 'deals' }).success).toBe(false);
    expect(providerResourceSchema.safeParse({ provider: 'hubspot', resource: 'mail' }).success).toBe(false);
  });
});

describe('connection events', () => {
  it('parses each event type', () => {
    const events = [
      { ...base, type: 'connection.connected', connectionId: id, provider: 'google', reconnected: false },
      { ...base, type: 'connection.disconnect_requested', connectionId: id, purge: true },
      { ...base, type: 'user.deleted', crmUserId: 'u1' },
      { ...base, type: 'token.revoked', connectionId: id, source: 'provider_webhook' },
      { ...base, type: 'sync.requested', connectionId: id },
    ];
    for (const event of events) expect(connectionEventSchema.parse(event).type).toBe(event.type);
    expect(connectionEventSchema.parse(events[4])).toMatchObject({ full: false });
  });

  it.each([
    ['an unknown type', { ...base, type: 'connection.exploded', connectionId: id }],
    ['a missing purge flag', { ...base, type: 'connection.disconnect_requested', connectionId: id }],
    ['a bad timestamp', { ...base, occurredAt: 'yesterday', type: 'user.deleted', crmUserId: 'u1' }],
    ['an empty resource list', { ...base, type: 'sync.requested', connectionId: id, resources: [] }],
  ])('rejects %s', (_label, input) => {
    expect(connectionEventSchema.safeParse(input).success).toBe(false);
  });
});
