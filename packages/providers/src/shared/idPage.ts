import type { IdPage, SyncPage } from '@crm-sync/core';

/** An id pass that is the full listing itself (no cheaper id-only call exists): a full page's ids and where next. */
export function idPageOf(page: Pick<SyncPage, 'upserts' | 'next'>): IdPage {
  const ids = page.upserts.map((item) => item.externalId);
  return page.next.kind === 'more'
    ? { ids, next: { kind: 'more', continuation: page.next.continuation } }
    : { ids, next: { kind: 'done' } };
}
