import { ClassifiedProviderError } from '@crm-sync/core';
import { connectionOutcomes } from '../lifecycle/connectionOutcomes';
import { auditRefusal, type BrokerGrant } from './authorize';
import {
  refusal,
  type BrokerCaller,
  type BrokerDeps,
  type BrokerRefusal,
  type BrokeredToken,
  type BrokerUse,
} from './types';

/**
 * The connection's token through the one refresh path. A grant found gone on refresh ends the connection and
 * refuses like an inactive one (audited); any other provider failure is a 502 the caller may retry.
 */
export async function brokerToken(
  deps: BrokerDeps,
  caller: BrokerCaller,
  granted: BrokerGrant,
  use: { purpose: string; use: BrokerUse },
  options: { force?: boolean; refused?: string } = {},
): Promise<BrokeredToken | BrokerRefusal> {
  try {
    return await deps.tokens.current(granted.connection.id, granted.adapter.oauth, options);
  } catch (error) {
    if (!(error instanceof ClassifiedProviderError)) throw error;
    if (error.classification.kind !== 'auth_revoked') {
      return refusal(502, 'provider_unavailable', 'the provider could not refresh the token, retry later');
    }
    // The same revocation pipeline as a sync that finds out (needs_reauth, credentials deleted, CRM told), so
    // callers do not keep sending a dead refresh token to the provider.
    await connectionOutcomes(deps).revoked({
      connectionId: granted.connection.id,
      reason: error.classification.reason,
      now: new Date(),
    });
    await auditRefusal(deps, caller, granted.connection, use, 'grant_revoked');
    return refusal(409, 'connection_inactive', 'the connection is not active; the user must reconnect');
  }
}

export const isRefusal = (value: object): value is BrokerRefusal =>
  'kind' in value && value.kind === 'refused';
