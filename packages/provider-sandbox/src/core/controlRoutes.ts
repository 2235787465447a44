import { timingSafeEqual } from 'node:crypto';
import { type FastifyInstance, type FastifyReply } from 'fastify';
import { z } from 'zod';
import { PROVIDER_IDS, type SandboxControl, SandboxNotFoundError } from './types';

const provider = z
  .enum(PROVIDER_IDS as [string, ...string[]])
  .transform((p) => p as (typeof PROVIDER_IDS)[number]);
const fields = z.record(z.string(), z.unknown());

const accountSpec = z.strictObject({
  provider,
  id: z.string().min(1).optional(),
  email: z.string().min(3),
  seed: z.number().int().optional(),
  sizes: z.record(z.string(), z.number().int().min(0)).optional(),
  settings: z
    .strictObject({
      accessTokenTtlSeconds: z.number().int().min(0).optional(),
      refreshRotation: z.enum(['same', 'rotate']).optional(),
      changeLogLimit: z.number().int().min(1).optional(),
    })
    .optional(),
});

const client = z.strictObject({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  redirectUris: z.array(z.url()),
  googleClientType: z.enum(['web', 'desktop']).optional(),
  allowLoopbackRedirects: z.boolean(),
});

const faultPlan = z
  .strictObject({
    provider: provider.optional(),
    route: z.string().optional(),
    accountId: z.string().optional(),
    action: z.discriminatedUnion('kind', [
      z.strictObject({
        kind: z.literal('status'),
        status: z.union([z.literal(429), z.literal(500), z.literal(503)]),
        retryAfterSeconds: z.number().int().min(0).optional(),
      }),
      z.strictObject({ kind: z.literal('latency'), ms: z.number().int().min(0).max(60_000) }),
      z.strictObject({ kind: z.literal('drop') }),
    ]),
    next: z.number().int().min(1).optional(),
    rate: z.number().min(0).max(1).optional(),
    seed: z.number().int().optional(),
  })
  .refine((p) => (p.next === undefined) !== (p.rate === undefined), 'set exactly one of `next` and `rate`');

const quotaPlan = z.strictObject({
  provider,
  accountId: z.string(),
  unitsPerSecond: z.number().int().min(1),
  status: z.union([z.literal(403), z.literal(429)]),
});

const authorize = z.strictObject({
  denyNext: z.number().int().min(0).optional(),
  defaultLoginEmail: z.string().optional(),
  withholdScopes: z.array(z.string()).optional(),
});

const accountParams = z.object({ provider, accountId: z.string() });
const resourceParams = accountParams.extend({ resource: z.string() });
const itemParams = resourceParams.extend({ id: z.string() });

/** HTTP control API under /__sandbox/, authorised by the control secret as a bearer token. */
export function registerControlRoutes(app: FastifyInstance, control: SandboxControl, secret: string): void {
  void app.register(
    async (scoped) => {
      scoped.addHook('onRequest', async (request, reply) => {
        if (!bearerMatches(request.headers.authorization, secret)) {
          return reply
            .code(401)
            .send({ error: { code: 'unauthorized', message: 'control secret required' } });
        }
      });
      scoped.setErrorHandler((error, _request, reply) => replyError(error, reply));

      scoped.post('/accounts', async (req) => control.createAccount(accountSpec.parse(req.body)));
      scoped.post('/clients', async (req, reply) => {
        control.registerClient(client.parse(req.body));
        return reply.code(204).send();
      });
      scoped.post('/accounts/:provider/:accountId/:resource/items', async (req) => {
        const p = resourceParams.parse(req.params);
        const body = z.object({ fields: fields.optional() }).parse(req.body ?? {});
        return control.addItem(p.provider, p.accountId, p.resource, body.fields);
      });
      scoped.patch('/accounts/:provider/:accountId/:resource/items/:id', async (req) => {
        const p = itemParams.parse(req.params);
        return control.updateItem(
          p.provider,
          p.accountId,
          p.resource,
          p.id,
          z.object({ fields }).parse(req.body).fields,
        );
      });
      scoped.delete('/accounts/:provider/:accountId/:resource/items/:id', async (req, reply) => {
        const p = itemParams.parse(req.params);
        control.deleteItem(p.provider, p.accountId, p.resource, p.id);
        return reply.code(204).send();
      });
      scoped.post('/accounts/:provider/:accountId/expire-cursors', async (req, reply) => {
        const p = accountParams.parse(req.params);
        const body = z.object({ resource: z.string().optional() }).parse(req.body ?? {});
        control.expireCursors(p.provider, p.accountId, body.resource);
        return reply.code(204).send();
      });
      scoped.post('/accounts/:provider/:accountId/expire-tokens', async (req) => {
        const p = accountParams.parse(req.params);
        return { expired: control.expireTokens(p.provider, p.accountId) };
      });
      scoped.post('/accounts/:provider/:accountId/revoke-tokens', async (req) => {
        const p = accountParams.parse(req.params);
        return { revoked: control.revokeTokens(p.provider, p.accountId) };
      });
      scoped.post('/faults', async (req, reply) => {
        control.addFault(faultPlan.parse(req.body));
        return reply.code(204).send();
      });
      scoped.delete('/faults', async (_req, reply) => {
        control.clearFaults();
        return reply.code(204).send();
      });
      scoped.put('/quota', async (req, reply) => {
        control.setQuota(quotaPlan.parse(req.body));
        return reply.code(204).send();
      });
      scoped.delete('/quota/:provider/:accountId', async (req, reply) => {
        const p = accountParams.parse(req.params);
        control.clearQuota(p.provider, p.accountId);
        return reply.code(204).send();
      });
      scoped.put('/authorize/:provider', async (req, reply) => {
        const p = z.object({ provider }).parse(req.params);
        const body = authorize.parse(req.body);
        control.setAuthorize(p.provider, {
          ...(body.denyNext === undefined ? {} : { denyNext: body.denyNext }),
          ...(body.defaultLoginEmail === undefined ? {} : { defaultLoginEmail: body.defaultLoginEmail }),
          ...(body.withholdScopes === undefined ? {} : { withholdScopes: body.withholdScopes }),
        });
        return reply.code(204).send();
      });
      scoped.post('/accounts/:provider/:accountId/ops/:op', async (req) => {
        const p = accountParams.extend({ op: z.string() }).parse(req.params);
        return control.providerOp(p.provider, p.accountId, p.op, req.body ?? {});
      });
      scoped.get('/counters', async () => ({ counters: control.counters() }));
      scoped.delete('/counters', async (_req, reply) => {
        control.resetCounters();
        return reply.code(204).send();
      });
    },
    { prefix: '/__sandbox' },
  );
}

function bearerMatches(header: string | undefined, secret: string): boolean {
  const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1] ?? '');
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function replyError(error: unknown, reply: FastifyReply) {
  if (error instanceof z.ZodError) {
    return reply.code(400).send({ error: { code: 'invalid_request', message: z.prettifyError(error) } });
  }
  if (error instanceof SandboxNotFoundError) {
    return reply.code(404).send({ error: { code: 'not_found', message: error.message } });
  }
  const message = error instanceof Error ? error.message : 'control operation failed';
  return reply.code(400).send({ error: { code: 'invalid_request', message } });
}
