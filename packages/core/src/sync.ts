import type { Resource } from './domain';
import type { CrmTableName, JsonValue, RecordsByTable } from './records';

/** Opaque, JSON-serialisable resume point owned by one syncer (page tokens, a pending history id, ...). */
export type SyncContinuation = { [key: string]: JsonValue };

/**
 * Where a resource's sync stands, as stored in `sync_states`. `cursor` is the incremental starting point of
 * the next round (Gmail historyId, Calendar/People syncToken, Graph deltaLink, HubSpot watermark) and is only
 * set once a full round has finished; `continuation` is where the current round left off.
 */
export interface SyncPosition {
  mode: 'full' | 'incremental';
  cursor: string | null;
  continuation: SyncContinuation | null;
}

/**
 * Counts the requests a provider call makes, for the connection's request budget (the sync engine's
 * ConnectionThrottle). The adapters' clients add every HTTP request they send, and for a batch every request inside
 * it that the provider limits one by one, so a page that fans out (a message per request, batched attachment
 * listings, association reads) spends what it really cost.
 */
export interface RequestTally {
  add(requests: number): void;
}

/** What a call to the provider is made with: the connection's access token, and where its requests count. */
export interface ProviderCall {
  accessToken: string;
  /** Absent where nobody counts (a test, a one-off call). */
  tally?: RequestTally;
}

export interface SyncRequest extends ProviderCall {
  position: SyncPosition;
  now: Date;
  /** How far back a first (full) sync reaches, for resources where a window makes sense (mail, calendar). */
  initialWindowDays: number;
}

/**
 * The part of a resource a windowed full round listed: every item dated after `after` and before `before` (either
 * bound open when null). Which date that is belongs to the table (mail: sent, calendar: start); see the sweep in
 * packages/db.
 */
export interface ListedWindow {
  after: Date | null;
  before: Date | null;
}

/** One link from an item to another item of the same account (HubSpot associations), with the provider's types. */
export interface LinkRecord {
  toId: string;
  /** How the provider qualifies the link (HubSpot: `{category, typeId, label}` per association type). */
  types: JsonValue[];
}

/**
 * Everything one item links to among items of `toType`, as the provider lists it now: the engine makes the stored
 * links of that item and type exactly these, so a link the provider dropped disappears (an empty list drops all).
 */
export interface ItemLinks {
  fromId: string;
  toType: string;
  links: LinkRecord[];
}

/** One page of changes and what comes after it. */
export interface SyncPage<T extends CrmTableName = CrmTableName> {
  upserts: RecordsByTable[T][];
  /** External ids the provider reports deleted (or items gone by the time they were fetched). */
  deletes: string[];
  /**
   * For `crm_objects` syncers: the current links of some of the page's items (or of items listed only for their
   * links). An item not named here keeps the links it has.
   */
  links?: ItemLinks[];
  /**
   * Items the provider sent that the syncer cannot read (a message no MIME parser takes): the engine files them in
   * its quarantine with the reason (never their content) and the round goes on; a later readable version stores and
   * clears the entry. The row the item had, if any, keeps its last readable version.
   */
  setAside?: SetAsideItem[];
  next:
    | { kind: 'more'; continuation: SyncContinuation }
    /**
     * The round is complete; `cursor` starts the next incremental round. A full round that listed only a window
     * says which in `window` (the engine then removes only rows inside it that the round did not list); without
     * it, a completed full round listed everything the provider has.
     */
    | { kind: 'caught_up'; cursor: string; window?: ListedWindow };
}

/**
 * Pulls one resource from one provider, a page at a time. It holds no state between calls: everything needed to
 * resume is in the position it is given and the continuation it returns, so any worker can take over. Failures
 * are thrown as `ClassifiedProviderError`. The first page of a full round must capture the incremental starting
 * point before listing (e.g. Gmail's profile historyId), so changes made while a full round pages are not lost.
 */
export interface ResourceSyncer<T extends CrmTableName = CrmTableName> {
  readonly resource: Resource;
  readonly table: T;
  /** For `crm_objects`: the object type every record and deletion of this syncer belongs to. */
  readonly objectType?: string;
  /**
   * For a provider whose change feed misses some deletions (HubSpot's search never reports permanent deletes): the
   * engine runs a full round instead of an incremental one once the last completed full round is this old, and the
   * full round removes what the provider no longer has.
   */
  readonly fullRoundEveryMs?: number;
  fetchPage(request: SyncRequest): Promise<SyncPage<T>>;
  /**
   * The completeness audit's id pass: the ids of every item a full round would list, through the cheapest id-only
   * listing the provider offers, a page at a time. Stateless like `fetchPage`: the continuation is all it resumes from.
   */
  listIds?(request: IdListRequest): Promise<IdPage>;
  /**
   * The given items as they are now (one provider call per id); an id the provider no longer has comes back in
   * `deletes`. Offered where it is much cheaper than a full round (Gmail's full round gets every message); the audit
   * then stores what the table lacks directly instead of asking for a full round.
   */
  fetchByIds?(request: ProviderCall & { ids: readonly string[] }): Promise<FetchedItems<T>>;
}

/** An item set aside unread, and why (an error kind, never the item's content). */
export interface SetAsideItem {
  externalId: string;
  reason: string;
}

/** Items fetched by id: their records, the ids the provider no longer has, and items that could not be read. */
export interface FetchedItems<T extends CrmTableName = CrmTableName> {
  upserts: RecordsByTable[T][];
  deletes: string[];
  setAside?: SetAsideItem[];
}

/** One page of an id pass; `continuation` is null on the first page. */
export interface IdListRequest extends ProviderCall {
  continuation: SyncContinuation | null;
  now: Date;
  /** The same window a full round lists (mail, calendar). */
  initialWindowDays: number;
}

/**
 * Ids of live items at the provider. The last page says which window the pass listed, as a full round's last page
 * does, so the audit compares only rows dated inside it (`window` absent: everything was listed).
 */
export interface IdPage {
  ids: string[];
  next: { kind: 'more'; continuation: SyncContinuation } | { kind: 'done'; window?: ListedWindow };
}

export type ResourceSyncers = Partial<{ [R in Resource]: ResourceSyncer }>;
