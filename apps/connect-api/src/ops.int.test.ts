import SwaggerParser from '@apidevtools/swagger-parser';
import { startApp, type AppHarness } from '../test/appHarness';

let h: AppHarness;
beforeAll(async () => {
  h = await startApp({ callbackRateLimitPerMinute: 3 });
});
afterAll(() => h.close());

it('reports healthy Postgres and Redis on /healthz', async () => {
  const response = await fetch(`${h.baseUrl}/healthz`);
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({
    status: 'ok',
    checks: { postgres: { status: 'ok' }, redis: { status: 'ok' } },
  });
});

it('keeps /metrics off the public port (main.ts serves it on the ops port; https.int.test.ts)', async () => {
  expect((await fetch(`${h.baseUrl}/metrics`)).status).toBe(404);
});

it('serves a valid OpenAPI document describing every route', async () => {
  const document = await (await fetch(`${h.baseUrl}/docs/json`)).json();
  const api = (await SwaggerParser.validate(document as never)) as unknown as {
    openapi: string;
    paths: Record<string, unknown>;
  };
  expect(api.openapi).toMatch(/^3\./);
  expect(Object.keys(api.paths).sort()).toEqual([
    '/.well-known/deletion-receipt-keys.json',
    '/v1/connect/start/{flowId}',
    '/v1/connect/{provider}',
    '/v1/connections',
    '/v1/connections/{id}',
    '/v1/connections/{id}/access-token',
    '/v1/connections/{id}/contacts',
    '/v1/connections/{id}/contacts/{externalId}',
    '/v1/connections/{id}/emails',
    '/v1/connections/{id}/emails/{emailId}/attachments/{attachmentId}/content',
    '/v1/connections/{id}/events',
    '/v1/connections/{id}/events/{externalId}',
    '/v1/connections/{id}/files',
    '/v1/connections/{id}/files/upload',
    '/v1/connections/{id}/files/{fileId}/content',
    '/v1/connections/{id}/files/{fileId}/permissions',
    '/v1/connections/{id}/log',
    '/v1/connections/{id}/objects',
    '/v1/connections/{id}/objects/{objectType}',
    '/v1/connections/{id}/objects/{objectType}/{externalId}',
    '/v1/connections/{id}/sync',
    '/v1/connections/{id}/tasks',
    '/v1/deletion-receipts/{id}',
    '/v1/deletion-requests/{id}',
    '/v1/events',
    '/v1/oauth/{provider}/callback',
    '/v1/proxy/{connectionId}/{*}',
    '/v1/tenants/{tenantId}',
    '/v1/tenants/{tenantId}/retention',
    '/v1/users/{crmUserId}',
    '/v1/writes/{id}',
  ]);
});

it('sets security headers', async () => {
  const response = await fetch(`${h.baseUrl}/healthz`);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('strict-transport-security')).toContain('max-age');
  expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
});

it('rate-limits the public OAuth callback', async () => {
  const hit = () =>
    fetch(`${h.baseUrl}/v1/oauth/google/callback?state=${'Q'.repeat(43)}`, { redirect: 'manual' });
  const statuses = [];
  for (let i = 0; i < 5; i += 1) statuses.push((await hit()).status);
  expect(statuses).toEqual([400, 400, 400, 429, 429]);
});

it('answers unknown routes with a problem document', async () => {
  const response = await fetch(`${h.baseUrl}/v2/nothing`);
  expect(response.status).toBe(404);
  expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  expect(await response.json()).toEqual({
    type: 'about:blank',
    title: 'Not Found',
    status: 404,
    code: 'not_found',
    detail: 'no such route',
  });
});
