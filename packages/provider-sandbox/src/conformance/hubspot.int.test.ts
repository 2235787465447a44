// Shape conformance of the HubSpot routes crm-sync consumes, requested over plain HTTP (the SDK turns dates into
// Date objects, which would hide the wire types), against documented real responses
// (test/fixtures/hubspot/SOURCES.md).
import { request } from 'undici';
import { expectConformant, fixture } from '../../test/conformance/fixtures';
import { authorize, createPortal, REDIRECT_URI, startHubspotSandbox } from '../../test/hubspot';
import { DEFAULT_CLIENT, type RunningSandbox } from '../core/types';

let sandbox: RunningSandbox;
let token: Record<string, unknown>;

beforeAll(async () => {
  sandbox = await startHubspotSandbox();
  createPortal(sandbox, 'shapes@hubspot.example', { contacts: 5 });
  const { location } = await authorize(sandbox, 'shapes@hubspot.example');
  const response = await request(`${sandbox.urls.hubspot}/oauth/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: location?.searchParams.get('code') as string,
      redirect_uri: REDIRECT_URI,
      client_id: DEFAULT_CLIENT.clientId,
      client_secret: DEFAULT_CLIENT.clientSecret,
    }).toString(),
  });
  token = (await response.body.json()) as Record<string, unknown>;
});
afterAll(() => sandbox.close());

const api = async (path: string, body?: unknown) => {
  const response = await request(`${sandbox.urls.hubspot}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token.access_token as string}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return response.body.json();
};

test('token endpoint: authorization-code exchange', () => {
  expectConformant(token, fixture('hubspot', 'token'));
});

test('CRM objects list with a next page', async () => {
  expectConformant(await api('/crm/v3/objects/contacts?limit=2'), fixture('hubspot', 'objects.list'));
});

test('CRM objects search with a next page', async () => {
  const body = {
    filterGroups: [],
    sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
    limit: 2,
  };
  expectConformant(await api('/crm/v3/objects/contacts/search', body), fixture('hubspot', 'objects.search'));
});
