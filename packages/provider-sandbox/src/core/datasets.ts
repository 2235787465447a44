import { mix } from './random';
import {
  type Account,
  type Change,
  type ChangeListener,
  type DatasetChange,
  type ChangesResult,
  type Clock,
  type Dataset,
  type DatasetStore,
  type Page,
  type PageRequest,
  type ProviderId,
  type ResourceGenerator,
  type StoredItem,
} from './types';

interface SeqClock {
  current: number;
}

/** Base items of all resources start at this account sequence; seeded so accounts differ. */
const initialSeq = (account: Account) => 1000 + (mix(account.seed, 7) % 9000);

export function createDatasetStore(generators: ResourceGenerator<unknown>[], clock: Clock): DatasetStore {
  const byResource = new Map<string, ResourceGenerator<unknown>>();
  for (const generator of generators)
    byResource.set(`${generator.provider}:${generator.resource}`, generator);
  const seqs = new Map<string, SeqClock>();
  const opened = new Map<string, Map<string, Dataset<unknown>>>();
  const listeners = new Set<ChangeListener>();
  const notify = (change: DatasetChange) => {
    for (const listener of listeners) listener(change);
  };
  const accountKey = (account: Account) => `${account.provider}:${account.id}`;

  const seqOf = (account: Account): SeqClock => {
    let counter = seqs.get(accountKey(account));
    if (!counter) {
      counter = { current: initialSeq(account) };
      seqs.set(accountKey(account), counter);
    }
    return counter;
  };

  return {
    open<T>(account: Account, generator: ResourceGenerator<T>): Dataset<T> {
      let datasets = opened.get(accountKey(account));
      if (!datasets) {
        datasets = new Map();
        opened.set(accountKey(account), datasets);
      }
      let dataset = datasets.get(generator.resource);
      if (!dataset) {
        dataset = createDataset(account, generator, seqOf(account), clock, notify) as Dataset<unknown>;
        datasets.set(generator.resource, dataset);
      }
      return dataset as Dataset<T>;
    },
    generator: (provider: ProviderId, resource: string) => byResource.get(`${provider}:${resource}`),
    currentSeq: (account) => seqOf(account).current,
    expireAll(account) {
      for (const dataset of opened.get(accountKey(account))?.values() ?? []) dataset.expireCursors();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Items 0..size-1 are computed on demand by the generator; only added, updated or deleted
 * items are kept (the overlay), so a 100k-item resource costs nothing until it is touched.
 */
export function createDataset<T>(
  account: Account,
  generator: ResourceGenerator<T>,
  seq: SeqClock,
  clock: Clock,
  notify: (change: DatasetChange) => void = () => undefined,
): Dataset<T> {
  const baseSize = generator.fixedSize ?? account.sizes[generator.resource] ?? 0;
  const baseSeq = seq.current;
  const overlay = new Map<number, StoredItem<T> | null>();
  const deletions: Change[] = [];
  const graveyard = new Map<string, StoredItem<T>>();
  const log: Change[] = [];
  let total = baseSize;
  let deleted = 0;
  let floor = baseSeq;

  const at = (ordinal: number): StoredItem<T> | undefined => {
    if (ordinal < 0 || ordinal >= total) return undefined;
    const stored = overlay.get(ordinal);
    if (stored !== undefined) return stored ?? undefined;
    return {
      id: generator.idFor(account, ordinal),
      ordinal,
      seq: baseSeq,
      data: generator.make(account, ordinal, baseSize),
    };
  };

  const record = (kind: Change['kind'], id: string): number => {
    seq.current += 1;
    log.push({ seq: seq.current, kind, id });
    // After the item is stored (callers store it in the same tick), so a push sent at once finds it.
    queueMicrotask(() => notify({ account, resource: generator.resource, kind, id }));
    const limit = account.settings.changeLogLimit;
    if (log.length > limit) {
      const dropped = log.splice(0, log.length - limit);
      floor = Math.max(floor, (dropped[dropped.length - 1] as Change).seq);
    }
    return seq.current;
  };

  const ordinalOf = (id: string) => {
    const ordinal = generator.ordinalOf(account, id);
    return ordinal === undefined || ordinal < 0 || ordinal >= total ? undefined : ordinal;
  };

  return {
    account,
    generator,
    count: () => total - deleted,
    get: (id) => {
      const ordinal = ordinalOf(id);
      return ordinal === undefined ? undefined : at(ordinal);
    },
    wasDeleted: (id) => {
      const ordinal = ordinalOf(id);
      return ordinal !== undefined && overlay.get(ordinal) === null;
    },
    deleted: () => [...deletions],
    lastSeen: (id) => {
      const ordinal = generator.ordinalOf(account, id);
      return ordinal === undefined ? undefined : graveyard.get(generator.idFor(account, ordinal));
    },
    page: (request) => scan(request, total, at),
    add(fields = {}) {
      const ordinal = total;
      total += 1;
      const id = generator.idFor(account, ordinal);
      const data = generator.apply(generator.make(account, ordinal, baseSize), fields, account, clock.now());
      const item = { id, ordinal, seq: record('add', id), data };
      overlay.set(ordinal, item);
      return item;
    },
    update(id, fields) {
      const current = this.get(id);
      if (!current) return undefined;
      const item = {
        ...current,
        data: generator.apply(current.data, fields, account, clock.now()),
        // The log names items by their stored id whatever form of id the caller used.
        seq: record('update', current.id),
      };
      overlay.set(current.ordinal, item);
      return item;
    },
    delete(id) {
      const current = this.get(id);
      if (!current) return false;
      overlay.set(current.ordinal, null);
      graveyard.set(current.id, current);
      deleted += 1;
      deletions.push({ seq: record('delete', current.id), kind: 'delete', id: current.id });
      return true;
    },
    changesSince(sinceSeq): ChangesResult {
      if (!Number.isInteger(sinceSeq) || sinceSeq > seq.current) return { ok: false, reason: 'invalid' };
      if (sinceSeq < floor) return { ok: false, reason: 'expired' };
      const lastById = new Map<string, Change>();
      for (const change of log) {
        if (change.seq <= sinceSeq) continue;
        lastById.delete(change.id);
        lastById.set(change.id, change);
      }
      return { ok: true, changes: [...lastById.values()], currentSeq: seq.current };
    },
    expireCursors() {
      seq.current += 1;
      floor = seq.current;
    },
  };
}

function scan<T>(
  request: PageRequest<T>,
  total: number,
  at: (ordinal: number) => StoredItem<T> | undefined,
): Page<T> {
  const step = request.order === 'asc' ? 1 : -1;
  let ordinal = request.after === undefined ? (step === 1 ? 0 : total - 1) : request.after + step;
  const items: StoredItem<T>[] = [];
  for (; ordinal >= 0 && ordinal < total; ordinal += step) {
    const item = at(ordinal);
    if (!item) continue;
    if (request.stopAt?.(item)) return { items };
    if (request.filter && !request.filter(item)) continue;
    if (items.length === request.limit)
      return { items, nextOrdinal: (items[items.length - 1] as StoredItem<T>).ordinal };
    items.push(item);
  }
  return { items };
}
