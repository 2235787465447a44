import { type StoredItem } from '../../core/types';
import { type GraphPreferences } from './prefer';
import { type ItemBody, type RemovedItem } from './types';

// Graph ids change form with `Prefer: IdType="ImmutableId"`. Immutable ids survive a move between folders
// (https://learn.microsoft.com/graph/outlook-immutable-id); the sandbox keeps regular ids stable across moves too,
// which Graph does not promise (crm-sync always asks for immutable ids).
const REGULAR_PREFIX = 'AAMkAG';
const IMMUTABLE_PREFIX = 'AAkALg';

export function wireId(id: string, prefs: GraphPreferences): string {
  return prefs.immutableIds && id.startsWith(REGULAR_PREFIX)
    ? IMMUTABLE_PREFIX + id.slice(REGULAR_PREFIX.length)
    : id;
}

/** The stored id behind a wire id in either form (a request may name an item by its immutable id). */
export function storedIdOf(wire: string): string {
  return wire.startsWith(IMMUTABLE_PREFIX) ? REGULAR_PREFIX + wire.slice(IMMUTABLE_PREFIX.length) : wire;
}

/**
 * changeKey (and the etag built from it) changes on every edit because seq does. Delta pages carry each item's
 * `@odata.type` and `@odata.etag` (docs/providers/microsoft.md#delta-endpoints).
 */
export function renderItem<T extends object>(
  stored: StoredItem<T>,
  prefs: GraphPreferences,
  odataType: string,
): T & { id: string; changeKey: string; '@odata.etag': string; '@odata.type': string } {
  const changeKey = `CQAAABYAAA${stored.seq.toString(36).padStart(6, '0')}`;
  // Sandbox bookkeeping (generate.ts) is not part of the wire item.
  const {
    formerFolderIds: _moves,
    files: _files,
    todoListId: _list,
    extendedProperties: _extended,
    ...wire
  } = stored.data as T & {
    formerFolderIds?: unknown;
    files?: unknown;
    todoListId?: unknown;
    extendedProperties?: unknown;
  };
  const data = withSeriesId(
    bodyAs(bodyAs(wire as T, prefs.bodyContentType, 'body'), prefs.bodyContentType, 'uniqueBody'),
    prefs,
  );
  return {
    '@odata.type': odataType,
    '@odata.etag': `W/"${changeKey}"`,
    id: wireId(stored.id, prefs),
    changeKey,
    ...data,
  };
}

/** An occurrence names its series master by id, in the same form as its own. */
function withSeriesId<T extends object>(data: T, prefs: GraphPreferences): T {
  const { seriesMasterId } = data as { seriesMasterId?: unknown };
  return typeof seriesMasterId === 'string'
    ? { ...data, seriesMasterId: wireId(seriesMasterId, prefs) }
    : data;
}

/**
 * `Prefer: outlook.body-content-type`: Graph converts `body` and `uniqueBody`
 * (https://learn.microsoft.com/graph/api/message-get); the sandbox wraps text or strips tags.
 */
function bodyAs<T extends object>(
  data: T,
  wanted: 'text' | 'html' | undefined,
  key: 'body' | 'uniqueBody',
): T {
  const body = (data as { body?: ItemBody; uniqueBody?: ItemBody })[key];
  if (wanted === undefined || body === undefined || body.contentType === wanted) return data;
  const content =
    wanted === 'html'
      ? `<html><body>${escapeHtml(body.content).replace(/\n/g, '<br>')}</body></html>`
      : body.content.replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]*>/g, '');
  return { ...data, [key]: { contentType: wanted, content } };
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderRemoved(id: string, odataType: string, prefs: GraphPreferences): RemovedItem {
  return { '@odata.type': odataType, id: wireId(id, prefs), '@removed': { reason: 'deleted' } };
}
