import { ConfigError } from './errors';

/** A CRM service allowed to call connect-api, and the tenants it may act for (`*` = all). */
export interface ServiceToken {
  name: string;
  secret: string;
  tenants: '*' | string[];
}

/** Public on purpose (it is in this file): development only, refused when NODE_ENV=production. */
export const DEV_SERVICE_TOKENS = 'crm-dev:dev-service-token-not-for-production:*';

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Parses `name:secret:tenantA|tenantB,...`; messages name the service, never the secret. */
export function parseServiceTokens(raw: string): ServiceToken[] {
  const tokens: ServiceToken[] = [];
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [name = '', secret = '', tenants = '', ...rest] = entry.split(':');
    if (!NAME.test(name) || rest.length > 0) {
      throw new ConfigError('SERVICE_TOKENS', 'each entry must be <name>:<secret>:<tenant|tenant…|*>');
    }
    if (secret.length < 24) {
      throw new ConfigError('SERVICE_TOKENS', `the secret of "${name}" must be at least 24 characters`);
    }
    const list = tenants.split('|').filter(Boolean);
    if (list.length === 0)
      throw new ConfigError('SERVICE_TOKENS', `"${name}" names no tenant (use * for all)`);
    tokens.push({ name, secret, tenants: list.includes('*') ? '*' : list });
  }
  if (tokens.length === 0) throw new ConfigError('SERVICE_TOKENS', 'at least one service is required');
  return tokens;
}
