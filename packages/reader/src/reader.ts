import { normalizeAddress } from '@crm-sync/core';
import type { ContentKeys, DataKey, SqlRunner } from '@crm-sync/vault';
import { decodeCursor, encodeCursor, startPosition, type Position } from './cursor';
import { ConnectionNotFoundError, InvalidFilterError } from './errors';
import { KIND_SPECS, type Kind } from './kinds';
import { pageQuery, type PageFilters } from './query';
import { readerError, toItem, type Item, type PageRow } from './records';

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 100;

export interface ReadRequest {
  /** The caller's tenant: a connection of another tenant is not found. */
  tenantId: string;
  connectionId: string;
  /** From a previous page's `nextCursor`; it carries the mode (listing or change feed) and `changedSince`. */
  cursor?: string;
  /**
   * Makes the read a change feed: rows changed at or after this time, deletions included (each served once, as a
   * deletion). Ignored with a cursor, which carries it.
   */
  changedSince?: Date;
  /** Only rows naming this address (blind index lookup; normalised as the write path does). */
  address?: string;
  /** emails only: the message with this RFC 5322 Message-ID (angle brackets included) and the replies naming it. */
  messageId?: string;
  /** Time range `[from, to)`: sent (emails), overlapping (events), due (tasks), updated at HubSpot (objects). */
  from?: Date;
  to?: Date;
  /** Rows per page, 1..1000 (default 100). */
  limit?: number;
}

export interface ReadPage<K extends Kind> {
  items: Item<K>[];
  /** Where the next page starts; also returned when the page is empty, to poll the change feed with later. */
  nextCursor: string;
  /** Whether more rows were ready when this page was read (a feed can still grow later). */
  hasMore: boolean;
}

export interface ReaderOptions {
  /** A DataSource (or anything with `query`): each page is one statement. */
  db: SqlRunner;
  /** The process's content keys (packages/vault createContentKeys): data keys and blind index keys. */
  keys: ContentKeys;
}

/**
 * Reads one connection's synced rows for CRM services (docs/read-api.md): tenant-bound, keyset-paged in
 * (change_xid, id) order with opaque cursors, filtered by change time, address (blind index) and time range, and
 * returned decrypted. A shredded connection fails with ContentShreddedError; tampered or moved ciphertext with
 * SealedContentError.
 */
export class ContentReader {
  constructor(private readonly options: ReaderOptions) {}

  async read<K extends Kind>(kind: K, request: ReadRequest): Promise<ReadPage<K>> {
    const limit = request.limit ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
      throw new InvalidFilterError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
    const position = request.cursor
      ? decodeCursor(request.cursor, kind, request.connectionId)
      : startPosition(kind, request.connectionId, request.changedSince ?? null);
    const filters = this.#filters(kind, request);
    await this.#ownedConnection(request.tenantId, request.connectionId);
    const { sql, parameters } = pageQuery(kind, position, filters, limit + 1);
    const rows = await this.options.db.query<PageRow[]>(sql, parameters);
    const served = rows.slice(0, limit);
    const items = await this.#items(kind, request.connectionId, served);
    const last = served.at(-1);
    const next: Position = last ? { ...position, xid: last.change_xid, id: last.id } : position;
    return { items, nextCursor: encodeCursor(next), hasMore: rows.length > limit };
  }

  async #ownedConnection(tenantId: string, connectionId: string): Promise<void> {
    // A malformed id is not found rather than a database error.
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(connectionId))
      throw new ConnectionNotFoundError(connectionId);
    const rows = await this.options.db.query<unknown[]>(
      'SELECT 1 FROM connections WHERE id = $1 AND tenant_id = $2',
      [connectionId, tenantId],
    );
    if (rows.length === 0) throw new ConnectionNotFoundError(connectionId);
  }

  #filters(kind: Kind, request: ReadRequest): PageFilters {
    const spec = KIND_SPECS[kind];
    let terms: Buffer[] | null = null;
    if (request.address !== undefined) {
      if (!spec.addressable) throw new InvalidFilterError(`${kind} cannot be filtered by address`);
      const normalised = normalizeAddress(request.address);
      if (normalised === null) throw new InvalidFilterError('address is not an email address');
      terms = this.options.keys.indexKeys.lookupTerms('address', request.tenantId, normalised);
    }
    let messageTerms: Buffer[] | null = null;
    if (request.messageId !== undefined) {
      if (kind !== 'emails') throw new InvalidFilterError(`${kind} cannot be filtered by Message-ID`);
      messageTerms = this.options.keys.indexKeys.lookupTerms(
        'message-id',
        request.tenantId,
        request.messageId,
      );
    }
    if ((request.from || request.to) && !spec.timeRange)
      throw new InvalidFilterError(`${kind} cannot be filtered by time range`);
    if (request.from && request.to && request.from >= request.to)
      throw new InvalidFilterError('from must be before to');
    return { terms, messageTerms, from: request.from ?? null, to: request.to ?? null };
  }

  async #items<K extends Kind>(kind: K, connectionId: string, rows: PageRow[]): Promise<Item<K>[]> {
    const needsKey = rows.some((row) => row.deleted_at === null && Buffer.isBuffer(row.sealed));
    let key: DataKey | undefined;
    try {
      if (needsKey) key = await this.options.keys.dataKeys.forRead(connectionId);
    } catch (error) {
      throw readerError(error);
    }
    return rows.map((row) => toItem(kind, row, () => key as DataKey));
  }
}
