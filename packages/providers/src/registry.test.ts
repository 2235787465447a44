import { PROVIDERS } from '@crm-sync/core';
import { ADAPTER_FACTORIES, createAdapterRegistry } from './registry';

const client = { clientId: 'c', clientSecret: 's', redirectUri: 'https://crm.example/cb' };

describe('adapter registry', () => {
  it('has a factory for every provider in core, each producing an adapter with that id', () => {
    for (const provider of PROVIDERS) {
      expect(ADAPTER_FACTORIES[provider](client).id).toBe(provider);
    }
  });

  it('builds adapters only for configured providers', () => {
    const registry = createAdapterRegistry({ google: client, hubspot: client });
    expect([...registry.keys()]).toEqual(['google', 'hubspot']);
    expect(registry.get('microsoft')).toBeUndefined();
  });
});
