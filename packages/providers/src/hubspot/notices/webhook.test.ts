import { hubspotSignatureV3 } from './signature';
import { resourceOfEvent, verifyHubSpotWebhook } from './webhook';

const secret = 'client-secret-for-tests';
const uri = 'https://crm-sync.example.com/v1/webhooks/hubspot';
const now = new Date(1_765_000_000_000);

function delivery(events: object[]) {
  const body = JSON.stringify(events);
  const timestamp = String(now.getTime());
  const signature = hubspotSignatureV3(secret, { method: 'POST', uri, body, timestamp });
  return verifyHubSpotWebhook(secret, { method: 'POST', uri, body, signature, timestamp }, now);
}

describe('HubSpot webhook events as push notices', () => {
  it('names the resource of legacy and generic object events', () => {
    expect(resourceOfEvent({ subscriptionType: 'contact.propertyChange' })).toBe('contacts');
    expect(resourceOfEvent({ subscriptionType: 'company.associationChange' })).toBe('companies');
    expect(resourceOfEvent({ subscriptionType: 'deal.deletion' })).toBe('deals');
    expect(resourceOfEvent({ subscriptionType: 'object.creation', objectTypeId: '0-3' })).toBe('deals');
    expect(resourceOfEvent({ subscriptionType: 'object.creation', objectTypeId: '0-5' })).toBeUndefined();
    expect(resourceOfEvent({ subscriptionType: 'ticket.creation' })).toBeUndefined();
    expect(resourceOfEvent({ subscriptionType: 'contact.privacyDeletion' })).toBe('contacts');
  });

  it('one sync notice per portal and resource, whatever the order and repeats; others are only recorded', () => {
    const notices = delivery([
      { eventId: 3, portalId: 7, subscriptionType: 'deal.propertyChange', occurredAt: 30 },
      { eventId: 1, portalId: 7, subscriptionType: 'contact.creation', occurredAt: 10 },
      { eventId: 1, portalId: 7, subscriptionType: 'contact.creation', occurredAt: 10 },
      { eventId: 2, portalId: '8', subscriptionType: 'contact.deletion', occurredAt: 20 },
      { eventId: 4, portalId: 7, subscriptionType: 'conversation.creation' },
    ]).notices;
    expect(notices).toEqual([
      {
        kind: 'deal.propertyChange',
        action: 'sync',
        resource: 'deals',
        target: { kind: 'account', providerAccountId: '7' },
      },
      {
        kind: 'contact.creation',
        action: 'sync',
        resource: 'contacts',
        target: { kind: 'account', providerAccountId: '7' },
      },
      {
        kind: 'contact.deletion',
        action: 'sync',
        resource: 'contacts',
        target: { kind: 'account', providerAccountId: '8' },
      },
      {
        kind: 'conversation.creation',
        action: 'record',
        target: { kind: 'account', providerAccountId: '7' },
      },
    ]);
  });
});
