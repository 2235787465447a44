import { mix, pick } from '../../core/random';
import { type Account } from '../../core/types';
import { CONTACTS_FOLDER_ID, DOMAINS, iso, MINUTE, person } from './fake';
import { type GraphContact } from './types';

export type ContactData = Omit<GraphContact, 'id' | 'changeKey'>;

/**
 * A contact with every default property Graph returns, unset ones as Outlook stores them (null, '' or empty
 * lists and addresses), as in https://learn.microsoft.com/graph/api/contact-get.
 */
export function makeContact(account: Account, ordinal: number): ContactData {
  const seed = mix(account.seed, ordinal);
  const who = person(seed, ordinal);
  const [givenName = '', surname = ''] = who.name.split(' ');
  const created = iso(account.createdAt - (ordinal + 1) * 60 * MINUTE);
  const company = pick(DOMAINS, seed).split('.')[0] ?? '';
  return {
    createdDateTime: created,
    lastModifiedDateTime: created,
    categories: seed % 5 === 0 ? ['Customer'] : [],
    parentFolderId: CONTACTS_FOLDER_ID,
    birthday: null,
    fileAs: '',
    displayName: who.name,
    givenName,
    initials: null,
    middleName: null,
    nickName: null,
    surname,
    title: null,
    yomiGivenName: null,
    yomiSurname: null,
    yomiCompanyName: null,
    generation: null,
    imAddresses: [],
    jobTitle: pick(['Buyer', 'CTO', 'Engineer', 'Account Manager'], seed),
    companyName: company,
    department: seed % 4 === 0 ? 'Procurement' : null,
    officeLocation: null,
    profession: null,
    businessHomePage: seed % 3 === 0 ? `https://www.${pick(DOMAINS, seed)}` : null,
    assistantName: null,
    manager: null,
    homePhones: [],
    mobilePhone: seed % 3 === 0 ? null : `+1 206 555 ${String(ordinal % 10_000).padStart(4, '0')}`,
    businessPhones: [`+1 425 555 ${String(seed % 10_000).padStart(4, '0')}`],
    spouseName: null,
    personalNotes: '',
    children: [],
    emailAddresses: [{ name: who.name, address: who.address.replace('@', `${ordinal}@`) }],
    homeAddress: {},
    businessAddress:
      seed % 2 === 0
        ? {
            street: `${seed % 900} Main St`,
            city: 'Redmond',
            state: 'WA',
            countryOrRegion: 'United States',
            postalCode: '98052',
          }
        : {},
    otherAddress: {},
  };
}
