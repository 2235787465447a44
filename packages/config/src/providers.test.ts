import { loadConfig } from './index';

describe('provider configuration', () => {
  it('leaves HubSpot full rounds to the adapter default unless HUBSPOT_FULL_ROUND_EVERY_MS says', () => {
    expect(loadConfig({}).providers.hubspot).not.toHaveProperty('fullRoundEveryMs');
    const { providers } = loadConfig({ HUBSPOT_FULL_ROUND_EVERY_MS: '3600000' });
    expect(providers.hubspot).toMatchObject({ fullRoundEveryMs: 3_600_000 });
  });
});
