import { type ProviderModule } from '../core/types';
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

/** HubSpot OAuth v1 and CRM v3 objects (list, search) with HubSpot's rate limits. */
export function createHubspotModule(options: HubSpotModuleOptions = {}): ProviderModule {
  const generators = hubspotGenerators();
  return {
    id: 'hubspot',
    listener: 'http',
    errors: hubspotErrorRenderer,
    generators: [generators.contacts, generators.companies, generators.deals],
    register(app, ctx) {
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
