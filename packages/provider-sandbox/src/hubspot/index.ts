import { type ProviderModule } from '../core/types';
import { registerCreateNote } from './crm/createNote';
import { registerListObjects } from './crm/listObjects';
import { DEFAULT_SEARCH_OPTIONS, type SearchOptions } from './crm/search';
import { registerSearchObjects } from './crm/searchObjects';
import { registerGdprDelete } from './crm/gdprDelete';
import { hubspotErrorRenderer } from './errors';
import { hubspotGenerators } from './generate';
import { registerAccessTokenInfo } from './oauth/accessTokenInfo';
import { registerAuthorize } from './oauth/authorize';
import { registerRefreshTokens } from './oauth/refreshTokens';
import { registerToken } from './oauth/token';
import { createLimiters, DEFAULT_LIMITS, type HubSpotLimits } from './rateLimit';

export interface HubSpotModuleOptions {
  limits?: Partial<HubSpotLimits>;
  /** How search `after` values resume and where the result cap is (default: HubSpot's, `offset` and 10,000). */
  search?: Partial<SearchOptions>;
}

/** HubSpot OAuth v1 and CRM v3 objects (list, search, GDPR delete, note create) with HubSpot's rate limits. */
export function createHubspotModule(options: HubSpotModuleOptions = {}): ProviderModule {
  const generators = hubspotGenerators();
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  return {
    id: 'hubspot',
    listener: 'http',
    errors: hubspotErrorRenderer(limits),
    // Access tokens live 30 minutes (docs/providers/hubspot.md#tokens-and-refresh).
    accountDefaults: { accessTokenTtlSeconds: 1800 },
    generators: [generators.contacts, generators.companies, generators.deals],
    register(app, ctx) {
      const limiters = createLimiters(ctx.clock, limits);
      registerAuthorize(app, ctx);
      registerToken(app, ctx);
      registerAccessTokenInfo(app, ctx);
      registerRefreshTokens(app, ctx);
      registerListObjects(app, ctx, generators, limiters);
      registerSearchObjects(app, ctx, generators, limiters, { ...DEFAULT_SEARCH_OPTIONS, ...options.search });
      registerGdprDelete(app, ctx, generators, limiters);
      registerCreateNote(app, ctx, limiters);
    },
  };
}
