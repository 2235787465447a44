import {
  type CrmObjectRecord,
  type IdListRequest,
  type IdPage,
  type ItemLinks,
  type ResourceSyncer,
  type SyncPage,
  type SyncRequest,
} from '@crm-sync/core';
import { type SimplePublicObject } from '@hubspot/api-client/lib/codegen/crm/objects/models/SimplePublicObject';
import { guarded } from '../../shared/guard';
import { hubspotApis, type HubSpotApis, type HubSpotClientOptions } from '../client';
import { HUBSPOT_DESCRIPTOR, type HubSpotObjectType } from '../descriptor';
import { classifyHubSpotError } from '../errors';
import { type CrmObjectType, modifiedAt, toCrmObjectRecord } from '../map';
import { LINKED_TYPES, readLinks } from './links';
import { propertyNames, type PropertyNames } from './properties';
import { nextSearchRound, searchRequest } from './search';
import { continuationOf, cursorOf, type Round, roundFor } from './rounds';

/**
 * What distinguishes one CRM object type's sync from another's; everything else is shared. `modifiedProperty` is
 * the one search filters and sorts on (contacts `lastmodifieddate`, others `hs_lastmodifieddate`).
 */
export interface CrmObjectSpec extends CrmObjectType {
  objectType: HubSpotObjectType;
}

export interface CrmObjectSyncerOptions extends HubSpotClientOptions {
  /** Default `HUBSPOT_DESCRIPTOR.syncOverlapMs`; tests pass 0 to assert exact change sets. */
  overlapMs?: number;
  /** Default `HUBSPOT_DESCRIPTOR.fullRoundEveryMs`. */
  fullRoundEveryMs?: number;
  /** Default `HUBSPOT_DESCRIPTOR.associationPassEveryMs`. */
  associationPassEveryMs?: number;
  /** The properties to sync; unset: every property the portal defines for the type (sync/properties.ts). */
  properties?: readonly string[];
}

type Page = SyncPage<'crm_objects'>;
type SearchRound = Extract<Round, { phase: 'search' }>;

/** What one page's requests need besides the round. */
interface PageContext {
  apis: HubSpotApis;
  spec: CrmObjectSpec;
  accessToken: string;
  properties: PropertyNames;
}

const LIMITS = { list: HUBSPOT_DESCRIPTOR.listPageSize };

/**
 * One syncer per CRM object type. A full round lists every live object (the list API has no result cap and no
 * per-second search limit); an incremental round searches by last-modified instant. Both end by listing archived
 * objects, because neither list nor search returns them among live ones. Search never sees a permanent (GDPR) delete, so the syncer asks the engine for a full
 * round every `fullRoundEveryMs`: the engine's sweep then removes whatever the listing did not show. Each page also
 * reads the current associations of the objects it lists (sync/links.ts), and an incremental round ends with an
 * association pass over every object when one is due, since association changes move no last-modified date. Each
 * page makes its own request and, at the same time, reads the associations of the previous page's objects, so a crash
 * repeats little and the 5-searches-per-second limit meets at most one search per page.
 */
export function createCrmObjectSyncer(
  spec: CrmObjectSpec,
  options: CrmObjectSyncerOptions,
): ResourceSyncer<'crm_objects'> {
  const overlapMs = options.overlapMs ?? HUBSPOT_DESCRIPTOR.syncOverlapMs;
  const passEveryMs = options.associationPassEveryMs ?? HUBSPOT_DESCRIPTOR.associationPassEveryMs;
  // The modified property and the id always come back: the rounds page by them.
  const properties = propertyNames(
    spec.objectType,
    [spec.modifiedProperty, 'hs_object_id'],
    options.properties,
  );
  return {
    resource: spec.objectType,
    table: 'crm_objects',
    objectType: spec.objectType,
    fullRoundEveryMs: options.fullRoundEveryMs ?? HUBSPOT_DESCRIPTOR.fullRoundEveryMs,
    fetchPage: async (request: SyncRequest): Promise<Page> => {
      // Throws cursor_expired for a position that cannot be resumed, before any request is made.
      const round = roundFor(request.position, request.now, overlapMs, passEveryMs);
      const context = {
        apis: hubspotApis(options, request.accessToken, request.tally),
        spec,
        accessToken: request.accessToken,
        properties,
      };
      return guarded('hubspot', `${spec.objectType} ${round.phase}`, classifyHubSpotError, () =>
        fetchRoundPage(context, round),
      );
    },
    listIds: (request: IdListRequest): Promise<IdPage> =>
      guarded('hubspot', `${spec.objectType} id pass`, classifyHubSpotError, () =>
        idPage(hubspotApis(options, request.accessToken, request.tally), spec, request),
      ),
  };
}

/**
 * The completeness audit's id pass: the full round's listing of live objects (the list API: no result cap, no search
 * limit) asking for `hs_object_id` only, since without `properties` HubSpot returns a default set.
 */
async function idPage(api: HubSpotApis, spec: CrmObjectSpec, request: IdListRequest): Promise<IdPage> {
  const after = request.continuation?.after;
  const page = await api.objects.basicApi.getPage(
    spec.objectType,
    LIMITS.list,
    typeof after === 'string' ? after : undefined,
    ['hs_object_id'],
  );
  const next = page.paging?.next?.after;
  const ids = page.results.map((object) => object.id);
  return { ids, next: next ? { kind: 'more', continuation: { after: next } } : { kind: 'done' } };
}

function fetchRoundPage(context: PageContext, round: Round): Promise<Page> {
  switch (round.phase) {
    case 'list':
      return listPage(context, round);
    case 'search':
      return searchPage(context, round);
    case 'links':
      return linksPage(context, round);
    case 'archived':
      return archivedPage(context, round);
  }
}

async function listPage(context: PageContext, round: Extract<Round, { phase: 'list' }>): Promise<Page> {
  const { apis, spec } = context;
  const properties = await context.properties(apis, context.accessToken, `list:${round.startedAt}`);
  const [page, links] = await withLinksOf(
    context,
    round,
    apis.objects.basicApi.getPage(spec.objectType, LIMITS.list, round.after ?? undefined, properties),
  );
  const after = page.paging?.next?.after;
  const linksOf = pendingLinks(spec, page.results);
  // A full round may follow an earlier sync (a reset, an unresumable position, a periodic full round), so it ends by
  // reporting every archived object as deleted, explicitly rather than leaving them to the engine's sweep. HubSpot
  // keeps archived objects restorable for 90 days, which bounds that list. It reads every object's associations, so
  // it counts as an association pass.
  const last: Round = {
    phase: 'archived',
    deletedSince: 0,
    after: null,
    nextCursor: round.startedAt,
    linksAt: round.startedAt,
    linksOf,
  };
  return {
    upserts: records(spec, page.results),
    deletes: [],
    links,
    next: { kind: 'more', continuation: continuationOf(after ? { ...round, after, linksOf } : last) },
  };
}

async function searchPage(context: PageContext, round: SearchRound): Promise<Page> {
  const { apis, spec } = context;
  const properties = await context.properties(apis, context.accessToken, `search:${round.deletedSince}`);
  const [result, links] = await withLinksOf(
    context,
    round,
    apis.objects.searchApi.doSearch(spec.objectType, searchRequest(spec, round, properties)),
  );
  const read = result.results
    .map((object) => modifiedAt(object, spec.modifiedProperty))
    .filter((ms): ms is number => ms !== null);
  const next = nextSearchRound(
    { ...round, nextCursor: Math.max(round.nextCursor, ...read) },
    result.results,
    spec,
  );
  return {
    upserts: records(spec, result.results),
    deletes: [],
    links,
    next: {
      kind: 'more',
      continuation: continuationOf({ ...next, linksOf: pendingLinks(spec, result.results) }),
    },
  };
}

/**
 * A page's own request, and the associations of the objects the previous page listed, at once: reading a page's
 * associations needs its ids, so waiting for them would make every page two round trips. The last page's objects
 * are read by the round's archived phase, which every round ends with.
 */
function withLinksOf<T>(context: PageContext, round: Round, request: Promise<T>): Promise<[T, ItemLinks[]]> {
  return Promise.all([request, readLinks(context.apis, context.spec.objectType, round.linksOf ?? [])]);
}

/** The objects whose associations the next page reads: none for a type that owns no associations. */
function pendingLinks(spec: CrmObjectSpec, objects: readonly SimplePublicObject[]): string[] {
  return LINKED_TYPES[spec.objectType].length === 0 ? [] : objects.map((o) => o.id);
}

/** The association pass: every live object's id (no properties), and its associations. */
async function linksPage(context: PageContext, round: Extract<Round, { phase: 'links' }>): Promise<Page> {
  const { apis, spec } = context;
  const [page, links] = await withLinksOf(
    context,
    round,
    apis.objects.basicApi.getPage(spec.objectType, LIMITS.list, round.after ?? undefined, ['hs_object_id']),
  );
  const after = page.paging?.next?.after;
  const { deletedSince, nextCursor, linksAt } = round;
  const linksOf = pendingLinks(spec, page.results);
  const next: Round = after
    ? { ...round, after, linksOf }
    : { phase: 'archived', deletedSince, after: null, nextCursor, linksAt, linksOf };
  return { upserts: [], deletes: [], links, next: { kind: 'more', continuation: continuationOf(next) } };
}

async function archivedPage(
  context: PageContext,
  round: Extract<Round, { phase: 'archived' }>,
): Promise<Page> {
  const { apis, spec } = context;
  const [page, links] = await withLinksOf(
    context,
    round,
    apis.objects.basicApi.getPage(
      spec.objectType,
      LIMITS.list,
      round.after ?? undefined,
      [spec.modifiedProperty],
      undefined,
      undefined,
      true,
    ),
  );
  // Archived before this round's window: reported by an earlier round. Without archivedAt, report it anyway
  // (a repeated delete is harmless, a missed one is not).
  const deletes = page.results
    .filter((object) => !object.archivedAt || object.archivedAt.getTime() >= round.deletedSince)
    .map((object) => object.id);
  const after = page.paging?.next?.after;
  return {
    upserts: [],
    deletes,
    links,
    next: after
      ? { kind: 'more', continuation: continuationOf({ ...round, after, linksOf: [] }) }
      : { kind: 'caught_up', cursor: cursorOf(round.nextCursor, round.linksAt) },
  };
}

function records(spec: CrmObjectSpec, objects: readonly SimplePublicObject[]): CrmObjectRecord[] {
  return objects.map((object) => toCrmObjectRecord(spec, object));
}
