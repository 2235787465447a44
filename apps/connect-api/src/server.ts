import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { trustProxyOption } from '@crm-sync/config';
import type { AppContext } from './context';
import { answerClientError } from './plugins/clientError';
import { limitConnectStarts } from './plugins/connectStartLimit';
import { answerFrameworkError, registerErrorHandler } from './plugins/errorHandler';
import { registerJsonBody } from './plugins/jsonBody';
import { nodeServerFactory } from './plugins/nodeServer';
import { urlKeyedRedisStore } from './plugins/rateLimitStore';
import { registerOpenFlow } from './routes/connect/openFlow';
import { registerStartConnect } from './routes/connect/startConnect';
import { registerGetAttachmentContent } from './routes/attachments/getAttachmentContent';
import { registerGetDriveFileContent } from './routes/drive/getFileContent';
import { registerRegisterDriveFiles } from './routes/drive/registerFiles';
import { registerShareDriveFile } from './routes/drive/shareFile';
import { registerUploadDriveFile } from './routes/drive/uploadFile';
import { registerReadContent } from './routes/content/readContent';
import { registerIssueAccessToken } from './routes/broker/issueAccessToken';
import { registerProxy } from './routes/broker/proxy';
import { registerDeleteConnection } from './routes/connections/deleteConnection';
import { registerGetConnection } from './routes/connections/getConnection';
import { registerGetConnectionLog } from './routes/connections/getConnectionLog';
import { registerListConnections } from './routes/connections/listConnections';
import { registerRequestSync } from './routes/connections/requestSync';
import { registerDeleteTenant } from './routes/deletion/deleteTenant';
import { registerDeleteUser } from './routes/deletion/deleteUser';
import { registerGetDeletionReceipt } from './routes/deletion/getDeletionReceipt';
import { registerGetDeletionRequest } from './routes/deletion/getDeletionRequest';
import { registerReceiptKeys } from './routes/deletion/receiptKeys';
import { registerPostEvent } from './routes/events/postEvent';
import { registerOAuthCallback } from './routes/oauth/callback';
import { registerGetRetention } from './routes/tenants/getRetention';
import { registerPutRetention } from './routes/tenants/putRetention';
import { registerHealthz } from './routes/ops/healthz';
import { registerGoogleNotifications } from './routes/webhooks/googleNotifications';
import { registerGooglePubSub } from './routes/webhooks/googlePubSub';
import { registerGoogleRisc } from './routes/webhooks/googleRisc';
import { registerHubSpotWebhook } from './routes/webhooks/hubspotWebhook';
import { registerMicrosoftLifecycle } from './routes/webhooks/microsoftLifecycle';
import { registerGetWrite } from './routes/writes/getWrite';
import { registerRequestWrites } from './routes/writes/requestWrite';

/** The connect-api HTTP server, fully wired but not listening. */
export async function buildServer(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: ctx.settings.bodyLimitBytes,
    // Fastify's own request lines include the query string, where the OAuth callback carries the code and
    // state; `trackRequests` logs each request without it.
    logController: new LogController({ disableRequestLogging: true }),
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    // Off unless configured: otherwise any client could pick its own address (and rate-limit key) with
    // X-Forwarded-For. request.ip, which the rate limits key on, follows this setting.
    trustProxy: trustProxyOption(ctx.settings.trustProxy),
    serverFactory: nodeServerFactory(ctx.settings),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerJsonBody(app);

  await app.register(helmet, { global: true });
  await app.register(rateLimit, {
    global: false,
    store: urlKeyedRedisStore(ctx.redis, ctx.rateLimitKeyPrefix ?? 'crm-sync:rate-limit:'),
  });
  limitConnectStarts(app, ctx.settings.connectStartRateLimitPerMinute);
  await app.register(swagger, {
    openapi: {
      info: { title: 'crm-sync connect-api', version: '1.0.0' },
      components: { securitySchemes: { service: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  trackRequests(app, ctx);

  registerStartConnect(app, ctx);
  registerOpenFlow(app, ctx);
  registerOAuthCallback(app, ctx);
  registerListConnections(app, ctx);
  registerGetConnection(app, ctx);
  registerDeleteConnection(app, ctx);
  registerRequestSync(app, ctx);
  registerGetConnectionLog(app, ctx);
  registerGetAttachmentContent(app, ctx);
  registerGetDriveFileContent(app, ctx);
  registerRegisterDriveFiles(app, ctx);
  registerUploadDriveFile(app, ctx);
  registerShareDriveFile(app, ctx);
  registerReadContent(app, ctx);
  registerPostEvent(app, ctx);
  registerRequestWrites(app, ctx);
  registerGetWrite(app, ctx);
  registerIssueAccessToken(app, ctx);
  await registerProxy(app, ctx);
  // Provider notices: not in the OpenAPI document (providers, not CRM services, call them).
  await registerGoogleRisc(app, ctx);
  await registerGoogleNotifications(app, ctx);
  await registerGooglePubSub(app, ctx);
  await registerMicrosoftLifecycle(app, ctx);
  await registerHubSpotWebhook(app, ctx);
  registerDeletionRoutes(app, ctx);
  // /metrics is served on the ops port only (main.ts), never on this public one.
  registerHealthz(app, ctx);
  app.get('/docs/json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}

/** Issue 20: deletion on request, its receipts and their keys, and each tenant's retention period. */
function registerDeletionRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerDeleteUser(app, ctx);
  registerDeleteTenant(app, ctx);
  registerGetDeletionRequest(app, ctx);
  registerGetDeletionReceipt(app, ctx);
  registerReceiptKeys(app, ctx);
  registerGetRetention(app, ctx);
  registerPutRetention(app, ctx);
}

function trackRequests(app: FastifyInstance, ctx: AppContext): void {
  const duration = ctx.metrics.histogram({
    name: 'crm_sync_http_request_duration_seconds',
    help: 'connect-api request duration by route and status',
    labelNames: ['method', 'route', 'status'],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    request.log.info(
      { method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request completed',
    );
  });
}
