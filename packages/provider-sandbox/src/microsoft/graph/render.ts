import { type StoredItem } from '../../core/types';
import { type GraphPreferences } from './prefer';
import { type RemovedItem } from './types';

// Graph ids change form with `Prefer: IdType="ImmutableId"`; both forms stay stable here
// because the sandbox never moves items between folders.
const REGULAR_PREFIX = 'AAMkAG';
const IMMUTABLE_PREFIX = 'AAkALg';

export function wireId(id: string, prefs: GraphPreferences): string {
  return prefs.immutableIds && id.startsWith(REGULAR_PREFIX)
    ? IMMUTABLE_PREFIX + id.slice(REGULAR_PREFIX.length)
    : id;
}

/** changeKey (and the etag built from it) changes on every edit because seq does. */
export function renderItem<T extends object>(
  stored: StoredItem<T>,
  prefs: GraphPreferences,
): T & { id: string; changeKey: string; '@odata.etag': string } {
  const changeKey = `CQAAABYAAA${stored.seq.toString(36).padStart(6, '0')}`;
  return { '@odata.etag': `W/"${changeKey}"`, id: wireId(stored.id, prefs), changeKey, ...stored.data };
}

export function renderRemoved(id: string, odataType: string, prefs: GraphPreferences): RemovedItem {
  return { '@odata.type': odataType, id: wireId(id, prefs), '@removed': { reason: 'deleted' } };
}
