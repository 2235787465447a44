import { type ProviderModule, type SandboxContext } from '../core/types';
import { createAssociationStore } from './associations/model';
import { registerReadAssociations } from './associations/readAssociations';
import { hubspotControlOps } from './control';
import { webhookEmitOp } from './webhooks/emit';
import { hubspotWebhooks } from './webhooks/module';
import { registerCreateNote } from './crm/createNote';
import { registerGetObject } from './crm/getObject';
import { registerListObjects } from './crm/listObjects';
import { registerObjectWrites } from './crm/objectWrites';
import { DEFAULT_SEARCH_OPTIONS, type SearchOptions } from './crm/search';
import { registerSearchObjects } from './crm/searchObjects';
import { registerGdprDelete } from './crm/gdprDelete';
import { hubspotErrorRenderer } from './errors';
import { hubspotGenerators } from './generate';
import { registerAccessTokenInfo } from './oauth/accessTokenInfo';
import { registerAuthorize } from './oauth/authorize';
import { registerRefreshTokens } from './oauth/refreshTokens';
import { registerToken } from './oauth/token';
import { registerOwners } from './owners/owners';
import { createPropertyStore } from './properties/definitions';
import { registerCreateProperty } from './properties/createProperty';
import { registerGetProperties } from './properties/getProperties';
import { createLimiters, DEFAULT_LIMITS, type HubSpotLimits } from './rateLimit';

export interface HubSpotModuleOptions {
  limits?: Partial<HubSpotLimits>;
  /** How search `after` values resume and where the result cap is (default: HubSpot's, `offset` and 10,000). */
  search?: Partial<SearchOptions>;
}

/**
 * HubSpot OAuth v1, CRM v3 objects (list, search, read, create, update, archive, GDPR delete, note create), v4 associations, property definitions
 * and owners, with HubSpot's rate limits. Associations and custom properties are per sandbox (this module's state).
 */
export function createHubspotModule(options: HubSpotModuleOptions = {}): ProviderModule {
  const generators = hubspotGenerators();
  let datasets: SandboxContext['datasets'] | undefined;
  const webhooks = hubspotWebhooks();
  const associations = createAssociationStore((account, type) => {
    if (!datasets) throw new Error('the HubSpot module is not registered yet');
    return datasets.open(account, generators[type]);
  }, webhooks.associationChanged);
  const properties = createPropertyStore();
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  return {
    id: 'hubspot',
    listener: 'http',
    errors: hubspotErrorRenderer(limits),
    // Access tokens live 30 minutes (docs/providers/hubspot.md#tokens-and-refresh).
    accountDefaults: { accessTokenTtlSeconds: 1800 },
    generators: [generators.contacts, generators.companies, generators.deals],
    controlOps: { ...hubspotControlOps(associations, properties), ...webhooks.ops, webhook: webhookEmitOp },
    register(app, ctx) {
      datasets = ctx.datasets;
      webhooks.register(ctx);
      const limiters = createLimiters(ctx.clock, limits);
      registerAuthorize(app, ctx);
      registerToken(app, ctx);
      registerAccessTokenInfo(app, ctx);
      registerRefreshTokens(app, ctx);
      registerListObjects(app, ctx, generators, limiters);
      registerSearchObjects(app, ctx, generators, limiters, { ...DEFAULT_SEARCH_OPTIONS, ...options.search });
      registerGdprDelete(app, ctx, generators, limiters);
      registerReadAssociations(app, ctx, associations, limiters);
      registerGetProperties(app, properties, limiters);
      registerOwners(app, ctx, limiters);
      registerCreateNote(app, ctx, limiters);
      registerGetObject(app, ctx, generators, properties, limiters);
      registerObjectWrites(app, ctx, generators, properties, limiters);
      registerCreateProperty(app, ctx, properties, limiters);
    },
  };
}
