import {
  ClassifiedProviderError,
  type RecordsByTable,
  type Resource,
  type ResourceSyncer,
  type SyncPage,
  type SyncPosition,
  type SyncRequest,
} from '@crm-sync/core';
import { type Client, type GraphRequest } from '@microsoft/microsoft-graph-client';
import { guarded } from '../../shared/guard';
import { type GraphAccess } from '../client';
import { classifyMicrosoftError } from '../errors';

/** The tables a Graph delta syncer writes. */
export type DeltaTable = 'emails' | 'calendar_events' | 'contacts';

/** The first request of a round. Query options go on it only: Graph keeps them inside its next and delta links. */
export interface FirstRequest {
  path: string;
  select?: readonly string[];
  /** Plain (non-OData) query parameters, e.g. calendarView's window. */
  query?: Record<string, string>;
}

/**
 * What differs between the Graph delta syncers built on `deltaSyncer` (contacts; mail and calendar keep more state
 * per round and have their own, on `toPage` and `onOrigin`).
 */
export interface DeltaSpec<T extends DeltaTable, Item> {
  resource: Resource;
  table: T;
  /** Computed once per round, on its first page. */
  firstRequest(request: SyncRequest): FirstRequest;
  map(item: Item): RecordsByTable[T];
}

export interface DeltaOptions {
  /** `Prefer: odata.maxpagesize`; Graph may send fewer items (or none) on a page that is not the last. */
  pageSize: number;
}

/** A resumed round: the `@odata.nextLink` to fetch next. JSON, and free of tokens (the bearer travels in a header). */
interface DeltaContinuation {
  [key: string]: string;
  nextLink: string;
}

export interface DeltaResponse {
  value?: unknown;
  '@odata.nextLink'?: unknown;
  '@odata.deltaLink'?: unknown;
}

/**
 * One Graph delta round as a stateless syncer. A full round is the initial delta round: it follows next links until
 * Graph hands out a delta link, which is the cursor; an incremental round starts from that link verbatim. Graph's
 * delta link covers every change made since the round began, so edits made while a full round pages arrive in the
 * next round (as repeats at worst, never as losses).
 */
export function deltaSyncer<T extends DeltaTable, Item>(
  spec: DeltaSpec<T, Item>,
  access: GraphAccess,
  options: DeltaOptions,
): ResourceSyncer<T> {
  // Immutable ids on every request: without them a message's id changes when it moves between folders.
  const prefer = [`odata.maxpagesize=${options.pageSize}`, 'IdType="ImmutableId"'];
  return {
    resource: spec.resource,
    table: spec.table,
    fetchPage: (request) =>
      guarded('microsoft', `${spec.resource} delta`, classifyMicrosoftError, async () => {
        const client = access.clientFor(request.accessToken, request.tally);
        const api = pageRequest(client, spec, request, access.origin).header('Prefer', prefer.join(', '));
        return toPage(spec, (await api.get()) as DeltaResponse);
      }),
  };
}

function pageRequest<T extends DeltaTable, Item>(
  client: Client,
  spec: DeltaSpec<T, Item>,
  request: SyncRequest,
  origin: string,
): GraphRequest {
  const link = storedLink(request.position, origin);
  if (link !== undefined) return client.api(link);
  const first = spec.firstRequest(request);
  let api = client.api(first.path);
  if (first.select) api = api.select([...first.select]);
  if (first.query) api = api.query(first.query);
  return api;
}

/**
 * Where the page starts: the continuation's next link, else (incremental) the cursor's delta link, else a new round.
 * An incremental position without a cursor cannot resume anything, so it starts a new round too.
 */
export function storedLink(position: SyncPosition, origin: string): string | undefined {
  if (position.continuation) {
    const { nextLink } = position.continuation;
    if (typeof nextLink !== 'string') throw unusable('continuation without a nextLink');
    return onOrigin(nextLink, origin);
  }
  if (position.mode === 'incremental' && position.cursor) return onOrigin(position.cursor, origin);
  return undefined;
}

/**
 * A stored link that is not on the configured Graph origin (a corrupt row, or a deployment moved between clouds or
 * from the sandbox) is never followed: the bearer token would go with it. Starting over is the recovery.
 */
export function onOrigin(link: string, origin: string): string {
  let parsed: URL;
  try {
    parsed = new URL(link);
  } catch {
    throw unusable('stored link is not a URL');
  }
  if (parsed.origin !== origin) throw unusable('stored link is not on the configured Graph origin');
  return link;
}

function unusable(why: string): ClassifiedProviderError {
  return new ClassifiedProviderError({ kind: 'cursor_expired' }, `microsoft delta: ${why}; full resync`);
}

function isEntry(value: unknown): value is Record<string, unknown> & { id?: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Turns a delta page into upserts and deletes. Graph may list one item several times in a page (and in any order);
 * the last mention wins, so an item both changed and removed on one page ends up on exactly one side. `keep`
 * drops items outside a client-side window (they are not reported at all, so nothing outside it is touched).
 */
export function toPage<T extends DeltaTable, Item>(
  spec: Pick<DeltaSpec<T, Item>, 'map'>,
  body: DeltaResponse,
  keep?: (item: Item) => boolean,
): SyncPage<T> {
  if (!Array.isArray(body.value)) throw new TypeError('Graph delta page without a value array');
  const upserts = new Map<string, RecordsByTable[T]>();
  const deletes = new Set<string>();
  for (const entry of body.value) {
    if (!isEntry(entry)) throw new TypeError('Graph delta entry is not an object');
    if ('@removed' in entry) {
      if (typeof entry.id !== 'string') throw new TypeError('Graph delta removal without an id');
      upserts.delete(entry.id);
      deletes.add(entry.id);
      continue;
    }
    if (keep && !keep(entry as Item)) continue;
    const record = spec.map(entry as Item);
    deletes.delete(record.externalId);
    upserts.set(record.externalId, record);
  }
  return { upserts: [...upserts.values()], deletes: [...deletes], next: nextOf(body) };
}

function nextOf(body: DeltaResponse): SyncPage['next'] {
  const nextLink = body['@odata.nextLink'];
  if (typeof nextLink === 'string') {
    const continuation: DeltaContinuation = { nextLink };
    return { kind: 'more', continuation };
  }
  const deltaLink = body['@odata.deltaLink'];
  if (typeof deltaLink === 'string') return { kind: 'caught_up', cursor: deltaLink };
  throw new TypeError('Graph delta page without a next or delta link');
}
