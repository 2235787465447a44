import type { ServicePolicy } from '@crm-sync/config';
import type { Provider } from '@crm-sync/core';
import { refusal, type BrokerRefusal, type BrokerUse } from './types';

/**
 * What the service's policy says about using a connection of `provider` whose grant carries `grantedScopes`, for
 * `purpose`. A raw token lets its holder exercise every scope of the grant, so a connection whose grant reaches
 * beyond the policy's scopes is refused as a whole, for the proxy as well (the proxy's paths narrow it further).
 */
export function checkPolicy(
  policy: ServicePolicy | undefined,
  request: { provider: Provider; grantedScopes: string[]; purpose: string; use: BrokerUse },
): BrokerRefusal | null {
  if (!policy) return refusal(403, 'no_broker_policy', 'this service has no token broker policy');
  if (!policy.providers.includes(request.provider)) {
    return refusal(403, 'forbidden_provider', "this service may not use this provider's connections");
  }
  if (!policy.purposes.includes(request.purpose)) {
    return refusal(403, 'forbidden_purpose', 'this service may not use connections for that purpose');
  }
  if (request.use === 'token' && !policy.rawTokens) {
    return refusal(403, 'proxy_only', 'this service may call through the proxy only, not receive tokens');
  }
  const allowed = new Set(policy.scopes);
  if (!request.grantedScopes.every((scope) => allowed.has(scope))) {
    return refusal(403, 'forbidden_scopes', "the connection's grant reaches beyond this service's scopes");
  }
  return null;
}
