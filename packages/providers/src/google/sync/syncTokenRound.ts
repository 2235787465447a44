import {
  type CrmTableName,
  type ListedWindow,
  type RecordsByTable,
  type Resource,
  type ResourceSyncer,
  type SyncContinuation,
  type SyncPage,
  type SyncRequest,
} from '@crm-sync/core';
import { guarded } from '../../shared/guard';
import { googleApisFor, type GoogleApiOptions, type GoogleApis } from '../client';
import { classifyGoogleError } from '../errors';
import { stringField, stringRecord, unreadable } from './continuation';

/** What one list call of a sync-token API (Calendar events.list, People connections.list) is asked. */
export interface ListQuery {
  /** Absent in a full round. */
  syncToken?: string;
  pageToken?: string;
  /** Full-round parameters fixed at the round's start (e.g. Calendar's timeMin); empty in incremental rounds. */
  params: Record<string, string>;
}

export interface ListPage<Item> {
  items: Item[];
  nextPageToken?: string | null;
  nextSyncToken?: string | null;
}

export interface SyncTokenSpec<T extends CrmTableName, Item> {
  resource: Resource;
  table: T;
  /**
   * Parameters only a full round sends (with a syncToken Google refuses them:
   * docs/providers/google.md#calendar-sync).
   */
  fullParams(request: SyncRequest): Record<string, string>;
  /** What a full round with these parameters lists, when it lists a window rather than everything. */
  listedWindow?(params: Record<string, string>): ListedWindow;
  list(apis: GoogleApis, query: ListQuery): Promise<ListPage<Item>>;
  /** A deletion the provider reports in the listing, and the id it is reported under. */
  deletedId(item: Item): string | undefined;
  map(item: Item): RecordsByTable[T];
  /** Ids a live item replaces (People's previousResourceNames): the rows under them are deleted. */
  replacedIds?(item: Item): string[];
}

/**
 * The page-token / sync-token model Calendar and People share: a full round pages without a sync token and its last
 * page hands out `nextSyncToken`, which covers every change made since the round's first page (Google keeps that
 * point inside its page tokens); an incremental round pages the same way from the stored token. The continuation
 * carries the page token plus what the round started with, since Google wants identical parameters on every page.
 */
export function syncTokenSyncer<T extends CrmTableName, Item>(
  spec: SyncTokenSpec<T, Item>,
  api: GoogleApiOptions,
): ResourceSyncer<T> {
  return {
    resource: spec.resource,
    table: spec.table,
    fetchPage: (request) =>
      guarded('google', `${spec.resource} sync`, classifyGoogleError, () => page(spec, api, request)),
  };
}

async function page<T extends CrmTableName, Item>(
  spec: SyncTokenSpec<T, Item>,
  api: GoogleApiOptions,
  request: SyncRequest,
): Promise<SyncPage<T>> {
  const query = startingQuery(spec, request);
  const listed = await spec.list(googleApisFor(request.accessToken, api, request.tally), query);
  const upserts: RecordsByTable[T][] = [];
  const deletes: string[] = [];
  for (const item of listed.items) {
    const deleted = spec.deletedId(item);
    if (deleted !== undefined) deletes.push(deleted);
    else {
      upserts.push(spec.map(item));
      deletes.push(...(spec.replacedIds?.(item) ?? []));
    }
  }
  if (listed.nextPageToken) {
    const continuation: SyncContinuation = {
      syncToken: query.syncToken ?? null,
      pageToken: listed.nextPageToken,
      params: query.params,
    };
    return { upserts, deletes, next: { kind: 'more', continuation } };
  }
  if (!listed.nextSyncToken) throw new Error(`Google ${spec.resource} last page without nextSyncToken`);
  const window = query.syncToken === undefined ? spec.listedWindow?.(query.params) : undefined;
  return {
    upserts,
    deletes,
    next: { kind: 'caught_up', cursor: listed.nextSyncToken, ...(window && { window }) },
  };
}

function startingQuery<T extends CrmTableName, Item>(
  spec: SyncTokenSpec<T, Item>,
  request: SyncRequest,
): ListQuery {
  const { continuation, mode, cursor } = request.position;
  if (continuation) {
    const pageToken = stringField(continuation, 'pageToken');
    const params = stringRecord(continuation, 'params');
    const syncToken = stringField(continuation, 'syncToken');
    const tokenOk = continuation.syncToken === null || syncToken !== undefined;
    if (!pageToken || !params || !tokenOk) throw unreadable(spec.resource);
    return { pageToken, params, ...(syncToken ? { syncToken } : {}) };
  }
  if (mode === 'incremental' && cursor) return { syncToken: cursor, params: {} };
  return { params: spec.fullParams(request) };
}
