// Shape conformance of the Microsoft routes crm-sync consumes: each response, requested over HTTPS through the
// official Graph client (tokens over plain HTTP), against a recorded or documented real one
// (test/fixtures/microsoft/SOURCES.md).
import { type Client, type GraphRequest } from '@microsoft/microsoft-graph-client';
import { allow, type Allowance } from '../../test/conformance/shape';
import { expectConformant, fixture } from '../../test/conformance/fixtures';
import {
  authorize,
  graphClient,
  type MicrosoftSandbox,
  postToken,
  REDIRECT_URI,
  startMicrosoftSandbox,
} from '../../test/microsoft';
import { type Account } from '../core/types';
import { storedIdOf } from '../microsoft/graph/render';

let ms: MicrosoftSandbox;
let account: Account;
let client: Client;
/** What crm-sync asks for (no `openid`: it takes the identity from Graph). */
const CRM_SYNC_SCOPES = 'offline_access https://graph.microsoft.com/Mail.Read Calendars.Read Contacts.Read';
const PREFER = 'odata.maxpagesize=200, IdType="ImmutableId", outlook.timezone="UTC"';

type DeltaPage = { value: { id: string }[]; '@odata.deltaLink'?: string; '@odata.nextLink'?: string };

beforeAll(async () => {
  ms = await startMicrosoftSandbox({ clock: { now: () => Date.UTC(2026, 10, 1) } });
  account = ms.sandbox.control.createAccount({
    provider: 'microsoft',
    email: 'shapes@contoso.com',
    sizes: { messages: 30, events: 60, contacts: 10 },
  });
  const { location, verifier } = await authorize(ms, account.email, { scope: CRM_SYNC_SCOPES });
  const { body } = await postToken(ms, {
    grant_type: 'authorization_code',
    code: location?.searchParams.get('code') as string,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
  });
  tokenBody = body;
  client = graphClient(ms, () => body.access_token as string);
});
afterAll(() => ms.close());

let tokenBody: Record<string, unknown>;

test('token endpoint: authorization-code exchange', () => {
  expectConformant(tokenBody, fixture('microsoft', 'token'), [
    {
      kind: 'missing',
      path: 'id_token',
      why: 'an ID token comes only with `openid`, which crm-sync does not ask for',
    },
  ]);
});

/**
 * A full round, then an edit and a delete and the next round: every item either round served (so the shapes of
 * both, `@removed` entries included), under the envelope of the last page.
 */
async function twoRounds(
  first: GraphRequest,
  resource: string,
  edit: Record<string, unknown>,
): Promise<DeltaPage> {
  const served: DeltaPage['value'] = [];
  const drain = async (start: GraphRequest) => {
    let page = (await start.header('Prefer', PREFER).get()) as DeltaPage;
    served.push(...page.value);
    while (page['@odata.nextLink']) {
      page = (await client.api(page['@odata.nextLink']).header('Prefer', PREFER).get()) as DeltaPage;
      served.push(...page.value);
    }
    return page;
  };
  const last = await drain(first);
  const [edited, removed] = served.map((item) => storedIdOf(item.id)) as [string, string];
  ms.sandbox.control.updateItem('microsoft', account.id, resource, edited, edit);
  ms.sandbox.control.deleteItem('microsoft', account.id, resource, removed);
  const next = await drain(client.api(last['@odata.deltaLink'] as string));
  return { ...next, value: served };
}

test('messages delta: a changed message and a removed one', async () => {
  const page = await twoRounds(client.api('/me/mailFolders/inbox/messages/delta'), 'messages', {
    isRead: true,
  });
  expectConformant(page, fixture('microsoft', 'messages.delta'));
});

test('calendarView delta: occurrences, exceptions, all-day events and a removed one', async () => {
  const window = { startDateTime: '2026-09-01T00:00:00Z', endDateTime: '2027-01-01T00:00:00Z' };
  const page = await twoRounds(client.api('/me/calendarView/delta').query(window), 'events', {
    subject: 'Moved',
  });
  expectConformant(page, fixture('microsoft', 'events.delta'), EVENTS_ALLOWED);
});

const EVENTS_ALLOWED: Allowance[] = allow(
  'missing',
  'gap (issue 16): the sandbox does not serve this shape yet',
  'value[].transactionId',
  'value[].originalStartTimeZone',
  'value[].originalEndTimeZone',
  'value[].reminderMinutesBeforeStart',
  'value[].isReminderOn',
  'value[].hasAttachments',
  'value[].importance',
  'value[].sensitivity',
  'value[].isOrganizer',
  'value[].responseRequested',
  'value[].seriesMasterId',
  'value[].webLink',
  'value[].onlineMeetingUrl',
  'value[].isOnlineMeeting',
  'value[].onlineMeetingProvider',
  'value[].allowNewTimeProposals',
  'value[].isDraft',
  'value[].hideAttendees',
  'value[].recurrence',
  'value[].responseStatus',
  'value[].location.locationType',
  'value[].location.uniqueId',
  'value[].location.uniqueIdType',
  'value[].locations',
  'value[].onlineMeeting',
);

test('contacts delta: a changed contact and a removed one', async () => {
  const page = await twoRounds(client.api('/me/contacts/delta'), 'contacts', { jobTitle: 'CTO' });
  expectConformant(page, fixture('microsoft', 'contacts.delta'), CONTACTS_ALLOWED);
});

const CONTACTS_ALLOWED: Allowance[] = allow(
  'missing',
  'gap (issue 16): the sandbox does not serve this shape yet',
  'value[].birthday',
  'value[].fileAs',
  'value[].initials',
  'value[].middleName',
  'value[].nickName',
  'value[].title',
  'value[].yomiGivenName',
  'value[].yomiSurname',
  'value[].yomiCompanyName',
  'value[].generation',
  'value[].imAddresses',
  'value[].department',
  'value[].officeLocation',
  'value[].profession',
  'value[].businessHomePage',
  'value[].assistantName',
  'value[].manager',
  'value[].homePhones',
  'value[].spouseName',
  'value[].personalNotes',
  'value[].children',
  'value[].homeAddress',
  'value[].businessAddress',
  'value[].otherAddress',
);
