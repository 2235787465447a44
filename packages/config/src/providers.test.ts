import { loadConfig } from './index';

describe('provider configuration', () => {
  it('leaves HubSpot full rounds to the adapter default unless HUBSPOT_FULL_ROUND_EVERY_MS says', () => {
    expect(loadConfig({}).providers.hubspot).not.toHaveProperty('fullRoundEveryMs');
    const { providers } = loadConfig({ HUBSPOT_FULL_ROUND_EVERY_MS: '3600000' });
    expect(providers.hubspot).toMatchObject({ fullRoundEveryMs: 3_600_000 });
  });

  it('HubSpot: association pass interval and per-type property lists only when set', () => {
    expect(loadConfig({}).providers.hubspot).not.toHaveProperty('properties');
    expect(loadConfig({}).providers.hubspot).not.toHaveProperty('associationPassEveryMs');
    const { providers } = loadConfig({
      HUBSPOT_ASSOCIATION_PASS_EVERY_MS: '600000',
      HUBSPOT_PROPERTIES: ' contacts = email, firstname ; deals=dealname;contacts=phone',
    });
    expect(providers.hubspot).toMatchObject({
      associationPassEveryMs: 600_000,
      properties: { contacts: ['email', 'firstname', 'phone'], deals: ['dealname'] },
    });
    for (const bad of ['tickets=subject', 'contacts=', 'contacts=Email', 'contacts:email'])
      expect(() => loadConfig({ HUBSPOT_PROPERTIES: bad })).toThrow(/HUBSPOT_PROPERTIES/);
  });

  it('leaves Microsoft mail folders to the adapter default unless MICROSOFT_MAIL_FOLDERS says', () => {
    const app = { MICROSOFT_CLIENT_ID: 'id', MICROSOFT_CLIENT_SECRET: 'secret' };
    expect(loadConfig(app).providers.microsoft).not.toHaveProperty('mailFolders');
    const { providers } = loadConfig({ ...app, MICROSOFT_MAIL_FOLDERS: 'inbox,sentitems' });
    expect(providers.microsoft).toMatchObject({ mailFolders: 'inbox,sentitems' });
    expect(() => loadConfig({ ...app, MICROSOFT_MAIL_FOLDERS: 'inbox;drop' })).toThrow();
  });
});
