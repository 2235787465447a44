import {
  ClassifiedProviderError,
  type IdListRequest,
  type IdPage,
  type ListedWindow,
  type Resource,
  type SyncContinuation,
} from '@crm-sync/core';
import { type Client } from '@microsoft/microsoft-graph-client';
import { guarded } from '../../shared/guard';
import { type GraphAccess } from '../client';
import { classifyMicrosoftError } from '../errors';
import { type DeltaOptions, type DeltaResponse, type FirstRequest, onOrigin } from './delta';

/** What differs between the Graph id passes (mail per folder, calendar, contacts). */
export interface GraphIdPassSpec {
  resource: Resource;
  /** The listings of one pass, in order (mail: one per followed folder), found on its first page. */
  listings(client: Client, request: IdListRequest): Promise<FirstRequest[]>;
  /** The window the pass lists, fixed on its first page; absent when it lists everything. */
  window?(request: IdListRequest): ListedWindow;
  /** Whether an item of the listing belongs to the window (mail applies its window here, as its sync round does). */
  keep?(item: Record<string, unknown>, window: ListedWindow): boolean;
}

/** Where a pass stands: the listings still to go (the first is under way when `nextLink` is set). */
interface PassState {
  listings: FirstRequest[];
  nextLink: string | null;
  window: ListedWindow | null;
}

/**
 * The completeness audit's id pass over Graph: the initial round of each delta listing a full round makes, with as
 * few fields as each takes (`id` is always returned, https://learn.microsoft.com/graph/delta-query-messages), one
 * request per page. An initial delta round lists only live items; an `@removed` entry is skipped all the same.
 */
export function graphIdPass(
  spec: GraphIdPassSpec,
  access: GraphAccess,
  options: DeltaOptions,
): (request: IdListRequest) => Promise<IdPage> {
  const prefer = `odata.maxpagesize=${options.pageSize}, IdType="ImmutableId"`;
  return (request) =>
    guarded('microsoft', `${spec.resource} id pass`, classifyMicrosoftError, async () => {
      const client = access.clientFor(request.accessToken, request.tally);
      const state = request.continuation
        ? readState(request.continuation, access.origin)
        : {
            listings: await spec.listings(client, request),
            nextLink: null,
            window: spec.window?.(request) ?? null,
          };
      const [current, ...rest] = state.listings;
      if (current === undefined) return done(state.window);
      let api = client.api(state.nextLink ?? current.path);
      if (state.nextLink === null && current.select) api = api.select([...current.select]);
      if (state.nextLink === null && current.query) api = api.query(current.query);
      const body = (await api.header('Prefer', prefer).get()) as DeltaResponse;
      const ids = idsOf(body, spec, state.window);
      const nextLink = body['@odata.nextLink'];
      if (typeof nextLink === 'string')
        return { ids, next: { kind: 'more', continuation: writeState({ ...state, nextLink }) } };
      if (typeof body['@odata.deltaLink'] !== 'string')
        throw new TypeError('Graph delta page without a next or delta link');
      if (rest.length === 0) return { ids, next: done(state.window).next };
      return {
        ids,
        next: { kind: 'more', continuation: writeState({ ...state, listings: rest, nextLink: null }) },
      };
    });
}

function done(window: ListedWindow | null): IdPage {
  return { ids: [], next: { kind: 'done', ...(window && { window }) } };
}

function idsOf(body: DeltaResponse, spec: GraphIdPassSpec, window: ListedWindow | null): string[] {
  if (!Array.isArray(body.value)) throw new TypeError('Graph delta page without a value array');
  const ids: string[] = [];
  for (const entry of body.value as unknown[]) {
    if (typeof entry !== 'object' || entry === null)
      throw new TypeError('Graph delta entry is not an object');
    const item = entry as Record<string, unknown>;
    if ('@removed' in item || typeof item.id !== 'string') continue;
    if (window && spec.keep && !spec.keep(item, window)) continue;
    ids.push(item.id);
  }
  return ids;
}

function writeState(state: PassState): SyncContinuation {
  return {
    listings: state.listings.map((l) => ({
      path: l.path,
      select: l.select ? [...l.select] : null,
      query: l.query ?? null,
    })),
    nextLink: state.nextLink,
    after: state.window?.after?.toISOString() ?? null,
    before: state.window?.before?.toISOString() ?? null,
    windowed: state.window !== null,
  };
}

/** A continuation this code did not write cannot be resumed; the audit then starts its pass over. */
function readState(continuation: SyncContinuation, origin: string): PassState {
  const { listings, nextLink, after, before, windowed } = continuation;
  const unusable = () =>
    new ClassifiedProviderError({ kind: 'cursor_expired' }, 'microsoft id pass: unreadable continuation');
  if (!Array.isArray(listings) || (nextLink !== null && typeof nextLink !== 'string')) throw unusable();
  const read = listings.map((l): FirstRequest => {
    if (typeof l !== 'object' || l === null || Array.isArray(l) || typeof l.path !== 'string')
      throw unusable();
    const select = Array.isArray(l.select)
      ? l.select.filter((s): s is string => typeof s === 'string')
      : undefined;
    const query =
      typeof l.query === 'object' && l.query !== null && !Array.isArray(l.query)
        ? Object.fromEntries(
            Object.entries(l.query).filter((e): e is [string, string] => typeof e[1] === 'string'),
          )
        : undefined;
    return { path: l.path, ...(select && { select }), ...(query && { query }) };
  });
  const instant = (value: unknown) => (typeof value === 'string' ? new Date(value) : null);
  return {
    listings: read,
    nextLink: typeof nextLink === 'string' ? onOrigin(nextLink, origin) : null,
    window: windowed === true ? { after: instant(after), before: instant(before) } : null,
  };
}
