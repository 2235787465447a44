import { type Client } from '@hubspot/api-client';
import { type RunningSandbox } from '../../core/types';
import { createPortal, install, sdk, startHubspotSandbox } from '../../../test/hubspot';

let sandbox: RunningSandbox;
let client: Client;

beforeAll(async () => {
  sandbox = await startHubspotSandbox({}, { limits: { searchPerSecond: 1000, tenSecondly: 1000 } });
  const portal = createPortal(sandbox, 'notes@acme.example', { contacts: 1 });
  client = sdk(sandbox, (await install(sandbox, portal.email)).accessToken);
});
afterAll(() => sandbox.close());

async function post(body: unknown) {
  const response = await client.apiRequest({ method: 'POST', path: '/crm/v3/objects/notes', body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test('the official client creates a note and reads back the created object', async () => {
  const note = await client.crm.objects.notes.basicApi.create({
    properties: { hs_timestamp: '2026-12-02T10:00:00.000Z', hs_note_body: 'Called about the renewal' },
    associations: [],
  });
  expect(note).toMatchObject({
    properties: { hs_timestamp: '2026-12-02T10:00:00.000Z', hs_note_body: 'Called about the renewal' },
    archived: false,
  });
  expect(note.id).toMatch(/^\d+$/);
  expect(note.createdAt).toBeInstanceOf(Date);
  const second = await post({ properties: { hs_timestamp: '1764669600000' } });
  expect(second.status).toBe(201);
  expect(second.body.id).not.toBe(note.id);
});

test.each([
  ['no properties', {}],
  ['no hs_timestamp', { properties: { hs_note_body: 'x' } }],
  ['a timestamp that is no time', { properties: { hs_timestamp: 'yesterday-ish' } }],
  [
    'a body over 65,536 characters',
    { properties: { hs_timestamp: '1764669600000', hs_note_body: 'x'.repeat(65_537) } },
  ],
])('refuses %s with a VALIDATION_ERROR', async (_label, body) => {
  const answer = await post(body);
  expect(answer.status).toBe(400);
  expect(answer.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
});
