import { type CrmObjectRecord, type ResourceSyncer, type SyncPage, type SyncRequest } from '@crm-sync/core';
import { type PublicOwner } from '@hubspot/api-client/lib/codegen/crm/owners/models/PublicOwner';
import { guarded } from '../../shared/guard';
import { hubspotApis, type HubSpotClientOptions } from '../client';
import { HUBSPOT_DESCRIPTOR } from '../descriptor';
import { classifyHubSpotError } from '../errors';

/** The object type owners are stored under in `crm_objects`; objects name theirs in `hubspot_owner_id`. */
export const OWNER_OBJECT_TYPE = 'owners';

/**
 * The portal's owners (the users records are assigned to, docs/providers/hubspot.md#owners) as `crm_objects` rows of
 * type `owners`, keyed by the owner `id` that objects hold in `hubspot_owner_id`, so the CRM joins an object to its
 * owner on that property. The owners API has no change feed or modified-since filter, and a portal has a handful to a
 * few thousand owners, so every round lists them all (`fullRoundEveryMs: 0`): the engine's sweep then marks an owner
 * no longer listed (deactivated, so archived) deleted, and keeps its row for the objects still naming it.
 */
export function createOwnerSyncer(options: HubSpotClientOptions): ResourceSyncer<'crm_objects'> {
  return {
    resource: 'owners',
    table: 'crm_objects',
    objectType: OWNER_OBJECT_TYPE,
    fullRoundEveryMs: 0,
    fetchPage: (request: SyncRequest) =>
      guarded('hubspot', 'owners list', classifyHubSpotError, () => ownersPage(options, request)),
  };
}

async function ownersPage(
  options: HubSpotClientOptions,
  request: SyncRequest,
): Promise<SyncPage<'crm_objects'>> {
  const after = request.position.continuation?.after;
  const page = await hubspotApis(options, request.accessToken, request.tally).owners.getPage(
    undefined,
    typeof after === 'string' ? after : undefined,
    HUBSPOT_DESCRIPTOR.ownersPageSize,
    false,
  );
  const next = page.paging?.next?.after;
  return {
    upserts: page.results.map(toOwnerRecord),
    deletes: [],
    // Each round lists everything; the cursor only records when the last one ended.
    next: next
      ? { kind: 'more', continuation: { after: next } }
      : { kind: 'caught_up', cursor: request.now.toISOString() },
  };
}

/** An owner as a `crm_objects` record: its fields as the string properties every crm_objects row holds. */
export function toOwnerRecord(owner: PublicOwner): CrmObjectRecord {
  const number = (value: number | undefined) => (value === undefined ? null : String(value));
  const updatedAt = owner.updatedAt instanceof Date ? owner.updatedAt : new Date(Number.NaN);
  return {
    externalId: owner.id,
    objectType: OWNER_OBJECT_TYPE,
    properties: {
      email: owner.email ?? null,
      firstName: owner.firstName ?? null,
      lastName: owner.lastName ?? null,
      type: owner.type,
      userId: number(owner.userId),
      userIdIncludingInactive: number(owner.userIdIncludingInactive),
      archived: String(owner.archived),
      // Teams as HubSpot lists them (id, name, primary), JSON in one property.
      teams: JSON.stringify(owner.teams ?? []),
    },
    remoteUpdatedAt: Number.isFinite(updatedAt.getTime()) ? updatedAt : null,
    // An owner is a user of the portal, not a person the CRM deals with: no participant rows.
    addresses: [],
  };
}
