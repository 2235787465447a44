import { type FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/objects/models/Filter';
import { type PublicObjectSearchRequest } from '@hubspot/api-client/lib/codegen/crm/objects/models/PublicObjectSearchRequest';
import { type SimplePublicObject } from '@hubspot/api-client/lib/codegen/crm/objects/models/SimplePublicObject';
import { HUBSPOT_DESCRIPTOR } from '../descriptor';
import { modifiedAt } from '../map';
import { LINKED_TYPES } from './links';
import { type CrmObjectSpec } from './objects';
import { type Round } from './rounds';

// An incremental round's search (sync/objects.ts): the request for a page, and where the round goes after it.

type SearchRound = Extract<Round, { phase: 'search' }>;

const PAGE = HUBSPOT_DESCRIPTOR.searchPageSize;

/**
 * `modified GTE since` ascending; or, while paging through one instant's ties, `modified EQ since AND hs_object_id
 * GT last id` ascending by id. Never `after`: HubSpot's search `after` is an offset into a list that re-sorts as
 * objects change, so paging with it skips one object per edit made meanwhile (docs/providers/hubspot.md#paging-cursors),
 * and it stops at 10,000 results. A fresh query from the last instant read has neither problem.
 */
export function searchRequest(
  spec: CrmObjectSpec,
  round: SearchRound,
  properties: readonly string[],
): PublicObjectSearchRequest {
  const filter = (propertyName: string, operator: `${FilterOperatorEnum}`, value: string) => ({
    propertyName,
    operator: operator as FilterOperatorEnum,
    value,
  });
  const since = String(round.since);
  const tie = round.tieAfterId !== null;
  const filters = tie
    ? [filter(spec.modifiedProperty, 'EQ', since), filter('hs_object_id', 'GT', round.tieAfterId ?? '0')]
    : [filter(spec.modifiedProperty, 'GTE', since)];
  const sortBy = tie ? 'hs_object_id' : spec.modifiedProperty;
  return {
    filterGroups: [{ filters }],
    // HubSpot documents sorts as objects; the SDK's model types them as strings and passes them through as is.
    sorts: [{ propertyName: sortBy, direction: 'ASCENDING' }] as unknown as string[],
    properties: [...properties],
    limit: PAGE,
  };
}

/**
 * Where the search goes after a page. A short page read everything from `since` on: the round moves to the archived
 * phase. A full page moves `since` to the last instant read (its objects come again, which upserts absorb); when
 * the whole page shares `since`, that instant is paged by id first, then the search goes on after it.
 */
export function nextSearchRound(
  round: SearchRound,
  results: readonly SimplePublicObject[],
  spec: CrmObjectSpec,
): Round {
  const last = results.at(-1);
  const full = last !== undefined && results.length >= PAGE;
  if (round.tieAfterId !== null) {
    return full ? { ...round, tieAfterId: last.id } : { ...round, since: round.since + 1, tieAfterId: null };
  }
  if (!full) {
    const { deletedSince, nextCursor, linksAt, linksPassAt } = round;
    if (linksPassAt !== null && LINKED_TYPES[spec.objectType].length > 0)
      return { phase: 'links', after: null, deletedSince, nextCursor, linksAt: linksPassAt };
    return { phase: 'archived', deletedSince, after: null, nextCursor, linksAt };
  }
  const lastAt = modifiedAt(last, spec.modifiedProperty) ?? round.since;
  return lastAt > round.since ? { ...round, since: lastAt } : { ...round, tieAfterId: '0' };
}
