import { type SimplePublicObject } from '@hubspot/api-client/lib/codegen/crm/objects/models/SimplePublicObject';
import { HUBSPOT_DESCRIPTOR } from './descriptor';
import { modifiedAt, parseInstant, toCrmObjectRecord } from './map';

const contact: SimplePublicObject = {
  id: '1000042',
  properties: {
    email: 'maya.okafor.41@acme.example',
    firstname: 'Maya',
    lastname: 'Okafor',
    phone: null,
    createdate: '2026-01-02T09:00:00.000Z',
    lastmodifieddate: '2026-01-10T12:00:00.000Z',
    hs_object_id: '1000042',
  },
  createdAt: new Date('2026-01-02T09:00:00.000Z'),
  updatedAt: new Date('2026-01-10T12:00:05.000Z'),
  archived: false,
};

const deal: SimplePublicObject = {
  id: '3000007',
  properties: { dealname: 'Acme renewal 6', amount: '1200', hs_lastmodifieddate: '1768046400000' },
  createdAt: new Date('2026-01-01T00:00:00.000Z'),
  updatedAt: new Date('2026-01-10T12:00:00.000Z'),
};

const CONTACTS = { objectType: 'contacts', ...HUBSPOT_DESCRIPTOR.crmObjects.contacts };
const DEALS = { objectType: 'deals', ...HUBSPOT_DESCRIPTOR.crmObjects.deals };

describe('toCrmObjectRecord', () => {
  it('keeps the property map as HubSpot sent it and dates the record by the last-modified property', () => {
    expect(toCrmObjectRecord(CONTACTS, contact)).toEqual({
      externalId: '1000042',
      objectType: 'contacts',
      properties: { ...contact.properties },
      remoteUpdatedAt: new Date('2026-01-10T12:00:00.000Z'),
      addresses: ['maya.okafor.41@acme.example'],
    });
  });

  it("gives a contact's primary and additional emails as its addresses, and other types none", () => {
    const merged = {
      ...contact,
      properties: {
        ...contact.properties,
        hs_additional_emails: 'maya@globex.example;M.Okafor@Home.example',
      },
    };
    expect(toCrmObjectRecord(CONTACTS, merged).addresses).toEqual([
      'maya.okafor.41@acme.example',
      'maya@globex.example',
      'M.Okafor@Home.example',
    ]);
    const noEmail = { ...contact, properties: { email: null, hs_additional_emails: '' } };
    expect(toCrmObjectRecord(CONTACTS, noEmail).addresses).toEqual([]);
    const dealWithEmail = { ...deal, properties: { ...deal.properties, email: 'x@example.com' } };
    expect(toCrmObjectRecord(DEALS, dealWithEmail).addresses).toEqual([]);
  });

  it('reads an epoch-ms last-modified value', () => {
    expect(toCrmObjectRecord(DEALS, deal).remoteUpdatedAt).toEqual(new Date(1768046400000));
  });

  it('falls back to updatedAt when the last-modified property was not returned or is unreadable', () => {
    const bare = { ...deal, properties: { dealname: 'x', hs_lastmodifieddate: 'not a date' } };
    expect(toCrmObjectRecord(DEALS, bare).remoteUpdatedAt).toEqual(deal.updatedAt);
    expect(modifiedAt({ ...deal, properties: {} }, 'hs_lastmodifieddate')).toBe(deal.updatedAt.getTime());
  });

  it('is null-dated when HubSpot gave no date at all, rather than inventing one', () => {
    const undated = { ...deal, properties: {}, updatedAt: new Date(Number.NaN) };
    expect(toCrmObjectRecord(DEALS, undated).remoteUpdatedAt).toBeNull();
    expect(modifiedAt(undated, 'hs_lastmodifieddate')).toBeNull();
  });

  it('turns anything but a string into null (the map holds strings only)', () => {
    const odd = {
      ...deal,
      properties: { amount: 5 as unknown as string, stage: undefined as unknown as null },
    };
    expect(toCrmObjectRecord(DEALS, odd).properties).toEqual({ amount: null, stage: null });
  });
});

describe('parseInstant', () => {
  it.each([
    ['2026-01-10T12:00:00.000Z', Date.parse('2026-01-10T12:00:00.000Z')],
    ['1768046400000', 1768046400000],
    [' 1768046400000 ', 1768046400000],
  ])('%s', (value, ms) => {
    expect(parseInstant(value)?.getTime()).toBe(ms);
  });

  it.each([null, undefined, '', 'soon'])('%p → null', (value) => {
    expect(parseInstant(value)).toBeNull();
  });
});
