import { type Account } from '../../../core/types';
import { makeContact } from '../contactItems';
import { makeEvent } from '../eventItems';
import { iso } from '../fake';
import { type ContactData, type EventData, type GraphGenerators } from '../generate';
import { parseContact, parseEvent } from '../writeInput';
import { type WritableCollection } from './itemWrites';

/** A created contact holds only what its body sets (and Outlook's defaults for the rest). */
function blankContact(account: Account, now: number): ContactData {
  return {
    ...makeContact(account, 0),
    createdDateTime: iso(now),
    lastModifiedDateTime: iso(now),
    categories: [],
    displayName: '',
    givenName: '',
    surname: '',
    jobTitle: '',
    companyName: '',
    department: null,
    businessHomePage: null,
    mobilePhone: null,
    businessPhones: [],
    homePhones: [],
    emailAddresses: [],
    businessAddress: {},
  };
}

/** A created event: a single instance the account organizes, with what its body sets. */
function blankEvent(account: Account, now: number): Partial<EventData> {
  const { iCalUId: _uid, webLink: _link, ...outlook } = makeEvent(account, 0, 0);
  return {
    ...outlook,
    createdDateTime: iso(now),
    lastModifiedDateTime: iso(now),
    categories: [],
    originalStartTimeZone: 'UTC',
    originalEndTimeZone: 'UTC',
    subject: '',
    bodyPreview: '',
    body: { contentType: 'text', content: '' },
    isAllDay: false,
    isCancelled: false,
    isOrganizer: true,
    seriesMasterId: null,
    showAs: 'busy',
    type: 'singleInstance',
    isOnlineMeeting: false,
    onlineMeetingProvider: 'unknown',
    onlineMeeting: null,
    responseStatus: { response: 'organizer', time: '0001-01-01T00:00:00Z' },
    location: { displayName: '', locationType: 'default', uniqueIdType: 'unknown' },
    locations: [],
    attendees: [],
    organizer: { emailAddress: { name: account.email, address: account.email } },
  };
}

/** `/me/contacts` and `/me/events` (https://learn.microsoft.com/graph/api/user-post-contacts, user-post-events). */
export const writableCollections = (generators: GraphGenerators) => ({
  contacts: {
    segment: 'contacts',
    generator: generators.contacts,
    odataType: '#microsoft.graph.contact',
    readScopes: ['Contacts.Read'],
    writeScopes: ['Contacts.ReadWrite'],
    blank: blankContact,
    parse: parseContact,
  } satisfies WritableCollection<ContactData>,
  events: {
    segment: 'events',
    generator: generators.events,
    odataType: '#microsoft.graph.event',
    readScopes: ['Calendars.Read'],
    writeScopes: ['Calendars.ReadWrite'],
    blank: blankEvent,
    parse: parseEvent,
  } satisfies WritableCollection<EventData>,
});
