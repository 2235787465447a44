import Fastify, { type FastifyInstance } from 'fastify';
import { createAccountStore } from './accounts';
import { createClientRegistry } from './clients';
import { createControl } from './control';
import { registerControlRoutes } from './controlRoutes';
import { createCounters } from './counters';
import { createDatasetStore } from './datasets';
import { createFaultRegistry } from './faults';
import { installHooks } from './hooks';
import { SANDBOX_STATE_VERSION } from './state';
import { loopbackCertificate } from './tls';
import { createTokenStore } from './tokens';
import {
  type AuthorizeBehaviour,
  DEFAULT_CLIENT,
  DEFAULT_CONTROL_SECRET,
  type ErrorRenderer,
  type ProviderId,
  type ProviderModule,
  type RunningSandbox,
  type SandboxContext,
  type SandboxOptions,
  type SandboxUrls,
} from './types';

const systemClock = { now: () => Date.now() };

/** Starts both listeners with the given provider modules. Prefer `startSandbox` (all modules). */
export async function createSandbox(
  modules: ProviderModule[],
  options: SandboxOptions = {},
): Promise<RunningSandbox> {
  const clock = options.clock ?? systemClock;
  const host = options.host ?? '127.0.0.1';
  const accounts = createAccountStore(
    clock,
    options.accountDefaults,
    Object.fromEntries(modules.map((m) => [m.id, m.accountDefaults ?? {}])),
    options.state?.accounts,
  );
  const tokens = createTokenStore(clock, accounts, options.state?.tokens);
  const behaviours = new Map<ProviderId, AuthorizeBehaviour>();
  const urls: SandboxUrls = { google: '', microsoft: '', hubspot: '', control: '' };
  const renderers = new Map<ProviderId, ErrorRenderer>(modules.map((m) => [m.id, m.errors]));
  const tls = await loopbackCertificate(options.tlsNames);
  const ctx: SandboxContext = {
    clock,
    urls,
    caPem: tls.cert,
    accounts,
    clients: createClientRegistry([DEFAULT_CLIENT, ...(options.clients ?? [])]),
    tokens,
    datasets: createDatasetStore(
      modules.flatMap((m) => m.generators),
      clock,
    ),
    faults: createFaultRegistry(clock, renderers),
    counters: createCounters(),
    authorize: (provider) => {
      let behaviour = behaviours.get(provider);
      if (!behaviour) {
        behaviour = { denyNext: 0 };
        behaviours.set(provider, behaviour);
      }
      return behaviour;
    },
  };
  const providerOps = new Map(modules.flatMap((m) => (m.controlOps ? [[m.id, m.controlOps] as const] : [])));
  const control = createControl(ctx, behaviours, providerOps);

  // Path parameters as long as the providers' ids: Gmail attachment ids run to hundreds of characters (Fastify's
  // default cap is 100).
  const http = Fastify({
    logger: false,
    bodyLimit: 5 * 1024 * 1024,
    routerOptions: { maxParamLength: 2048 },
  });
  const https = Fastify({
    logger: false,
    https: { key: tls.key, cert: tls.cert },
  }) as unknown as FastifyInstance;
  for (const app of [http, https]) {
    installHooks(app, ctx, renderers);
    addFormParser(app);
  }
  registerControlRoutes(http, control, options.controlSecret ?? DEFAULT_CONTROL_SECRET);
  for (const module of modules) {
    const app = module.listener === 'https' ? https : http;
    await app.register(async (scoped) => module.register(scoped, ctx));
  }

  const httpOrigin = await listen(http, host, options.port ?? 0, 'http');
  const httpsOrigin = await listen(https, host, options.httpsPort ?? 0, 'https');
  Object.assign(urls, {
    google: httpOrigin,
    hubspot: httpOrigin,
    control: `${httpOrigin}/__sandbox`,
    microsoft: httpsOrigin,
  });

  return {
    urls,
    caPem: tls.cert,
    control,
    context: ctx,
    state: () => ({ version: SANDBOX_STATE_VERSION, accounts: accounts.list(), tokens: tokens.snapshot() }),
    close: async () => {
      await Promise.all([http.close(), https.close()]);
    },
  };
}

async function listen(
  app: FastifyInstance,
  host: string,
  port: number,
  scheme: 'http' | 'https',
): Promise<string> {
  await app.listen({ host, port });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('sandbox listener has no TCP address');
  return `${scheme}://${host}:${address.port}`;
}

/** OAuth token endpoints of all three providers take form bodies. */
function addFormParser(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
}
