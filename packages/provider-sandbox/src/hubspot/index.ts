import { type ProviderModule } from '../core/types';
import { deferredClock } from '../microsoft/deferredClock';
import { registerListObjects } from './crm/listObjects';
import { registerSearchObjects } from './crm/searchObjects';
import { hubspotErrorRenderer } from './errors';
import { hubspotGenerators } from './generate';
import { registerAccessTokenInfo } from './oauth/accessTokenInfo';
import { registerAuthorize } from './oauth/authorize';
import { registerRefreshTokens } from './oauth/refreshTokens';
import { registerToken } from './oauth/token';
import { createLimiters, DEFAULT_LIMITS, type HubSpotLimits } from './rateLimit';

export interface HubSpotModuleOptions {
  limits?: Partial<HubSpotLimits>;
}

/**
 * HubSpot OAuth v1 and CRM v3 objects (list, search) with HubSpot's rate limits. Build one
 * module per sandbox: the module binds that sandbox's clock.
 */
export function createHubspotModule(options: HubSpotModuleOptions = {}): ProviderModule {
  const clock = deferredClock();
  const generators = hubspotGenerators(clock);
  return {
    id: 'hubspot',
    listener: 'http',
    errors: hubspotErrorRenderer,
    generators: [generators.contacts, generators.companies, generators.deals],
    register(app, ctx) {
      clock.bind(ctx.clock);
      const limiters = createLimiters(ctx.clock, { ...DEFAULT_LIMITS, ...options.limits });
      registerAuthorize(app, ctx);
      registerToken(app, ctx);
      registerAccessTokenInfo(app, ctx);
      registerRefreshTokens(app, ctx);
      registerListObjects(app, ctx, generators, limiters);
      registerSearchObjects(app, ctx, generators, limiters);
    },
  };
}
