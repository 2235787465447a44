import type { CrmTableName, ItemLinks, SyncPage } from '@crm-sync/core';

/**
 * Several consecutive pages as one, for one transaction: each item's last mention wins (a later upsert undoes an
 * earlier delete and the other way round), so applying the merged upserts, then the merged deletes, leaves the
 * table as applying the pages one by one would. An item's links of one type are likewise the last ones listed. The
 * merged page continues where the last one does.
 */
export function mergePages<T extends CrmTableName>(pages: readonly SyncPage<T>[]): SyncPage<T> {
  if (pages.length === 1) return pages[0]!;
  const last = new Map<
    string,
    | { kind: 'upsert'; record: SyncPage<T>['upserts'][number] }
    | { kind: 'delete' }
    | { kind: 'setAside'; reason: string }
  >();
  for (const page of pages) {
    // Within a page the engine sets aside, then upserts, then deletes, so a page's delete outranks its own upsert.
    for (const item of page.setAside ?? [])
      last.set(item.externalId, { kind: 'setAside', reason: item.reason });
    for (const record of page.upserts) last.set(record.externalId, { kind: 'upsert', record });
    for (const id of page.deletes) last.set(id, { kind: 'delete' });
  }
  const upserts: SyncPage<T>['upserts'] = [];
  const deletes: string[] = [];
  const setAside: NonNullable<SyncPage<T>['setAside']> = [];
  for (const [id, change] of last) {
    if (change.kind === 'upsert') upserts.push(change.record);
    else if (change.kind === 'delete') deletes.push(id);
    else setAside.push({ externalId: id, reason: change.reason });
  }
  const links = new Map<string, ItemLinks>();
  for (const page of pages)
    for (const set of page.links ?? []) links.set(JSON.stringify([set.fromId, set.toType]), set);
  const merged: SyncPage<T> = {
    upserts,
    deletes,
    ...(setAside.length > 0 && { setAside }),
    next: pages[pages.length - 1]!.next,
  };
  return links.size === 0 ? merged : { ...merged, links: [...links.values()] };
}
