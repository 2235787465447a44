import {
  type IdListRequest,
  type IdPage,
  type ListedWindow,
  type Resource,
  type SyncContinuation,
} from '@crm-sync/core';
import { guarded } from '../../shared/guard';
import { googleApisFor, type GoogleApiOptions, type GoogleApis } from '../client';
import { classifyGoogleError } from '../errors';
import { stringField, stringRecord, unreadable } from './continuation';

/** One page of an id-only listing. */
export interface IdListing {
  ids: string[];
  nextPageToken?: string | null;
}

/** What differs between the Google id passes (Gmail, Calendar, People); paging is the same page-token model. */
export interface IdPassSpec {
  resource: Resource;
  /** Fixed on the first page and sent on every page, since Google wants identical parameters with a page token. */
  params(request: IdListRequest): Record<string, string>;
  /** The window a pass with these parameters lists, when it lists a window rather than everything. */
  listedWindow?(params: Record<string, string>): ListedWindow;
  list(apis: GoogleApis, params: Record<string, string>, pageToken: string | undefined): Promise<IdListing>;
}

/**
 * The completeness audit's id pass over a Google list method: the same listing a full round makes, asking only for
 * ids (`fields`, Google's partial-response parameter: https://developers.google.com/gmail/api/guides/performance).
 */
export function googleIdPass(
  spec: IdPassSpec,
  api: GoogleApiOptions,
): (request: IdListRequest) => Promise<IdPage> {
  return (request) =>
    guarded('google', `${spec.resource} id pass`, classifyGoogleError, async () => {
      const stored = request.continuation ? readContinuation(spec.resource, request.continuation) : undefined;
      const params = stored?.params ?? spec.params(request);
      const listed = await spec.list(
        googleApisFor(request.accessToken, api, request.tally),
        params,
        stored?.pageToken,
      );
      if (listed.nextPageToken) {
        const continuation: SyncContinuation = { params, pageToken: listed.nextPageToken };
        return { ids: listed.ids, next: { kind: 'more', continuation } };
      }
      const window = spec.listedWindow?.(params);
      return { ids: listed.ids, next: { kind: 'done', ...(window && { window }) } };
    });
}

function readContinuation(resource: Resource, continuation: SyncContinuation) {
  const params = stringRecord(continuation, 'params');
  const pageToken = stringField(continuation, 'pageToken');
  if (!params || !pageToken) throw unreadable(resource);
  return { params, pageToken };
}

/** The ids of the items a listing returned, skipping entries without one. */
export function idsOf<Item>(items: readonly Item[] | undefined, id: (item: Item) => unknown): string[] {
  return (items ?? []).map(id).filter((value): value is string => typeof value === 'string' && value !== '');
}
