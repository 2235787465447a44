import type { ConnectionGenerations } from '../generations';
import { readBrokerConnection, type BrokerConnectionRow } from './authorize';
import type { BrokerDeps } from './types';

export interface ConnectionCacheOptions {
  db: BrokerDeps['db'];
  generations: ConnectionGenerations;
  /** A row is used at most this long after it was read, whatever its generation says. */
  maxAgeMs: number;
  /** Connections kept at most; the oldest entry goes first. */
  maxEntries: number;
  now?: () => number;
}

interface Entry {
  generation: string;
  /** ConnectionGenerations.epoch when the entry was read: a Redis reconnect since then drops it. */
  epoch: number;
  row: BrokerConnectionRow;
  until: number;
}

/**
 * The proxy's copy of each connection's row, so a call does not read Postgres to learn whether the connection may
 * be used. Every call reads the connection's generation from Redis (ConnectionGenerations, in the same round trip as
 * the provider throttle); an entry is used only while the generation it was read under is still the current one, so
 * an end, revocation or reconnect committed by any process is seen by the very next call. The generation is read
 * before the row, and the row `FOR SHARE`: a change in flight either moved the generation already (and the read
 * waits for its commit) or will move it after this read, so an entry never outlives the row it copies.
 */
export class ConnectionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(private readonly options: ConnectionCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The row held for the connection, without asking whether it is still current: only for work that is undone or
   * confirmed once `read` has answered (the proxy's early budget admission).
   */
  peek(connectionId: string): BrokerConnectionRow | undefined {
    return this.entries.get(connectionId)?.row;
  }

  /** The connection's row as committed now (undefined: no such connection). */
  async read(connectionId: string): Promise<BrokerConnectionRow | undefined> {
    const { generations } = this.options;
    const epoch = generations.epoch;
    const generation = await generations.current(connectionId);
    const entry = this.entries.get(connectionId);
    if (entry && entry.generation === generation && entry.epoch === epoch && entry.until > this.now())
      return entry.row;
    this.entries.delete(connectionId);
    const row = await readBrokerConnection(this.options.db, connectionId, { lock: true });
    if (row) {
      if (this.entries.size >= this.options.maxEntries)
        this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(connectionId, { generation, epoch, row, until: this.now() + this.options.maxAgeMs });
    }
    return row;
  }
}
