import type { ContactRecord, SyncPage } from '@crm-sync/core';
import { mergePages } from './mergePages';

const contact = (externalId: string, displayName: string): ContactRecord => ({
  externalId,
  displayName,
  givenName: null,
  familyName: null,
  emails: [],
  phones: [],
  company: null,
  jobTitle: null,
});

const page = (
  upserts: ContactRecord[],
  deletes: string[],
  next: SyncPage<'contacts'>['next'],
): SyncPage<'contacts'> => ({ upserts, deletes, next });

/** Applies pages one by one, as the engine does: each page's upserts, then its deletes. */
function applyInOrder(pages: SyncPage<'contacts'>[]): Map<string, string> {
  const table = new Map<string, string>();
  for (const p of pages) {
    for (const r of p.upserts) table.set(r.externalId, r.displayName!);
    for (const id of p.deletes) table.delete(id);
  }
  return table;
}

it('leaves the table as applying the pages in order would, and continues where the last page does', () => {
  const more = { kind: 'more' as const, continuation: { page: 2 } };
  const pages = [
    page([contact('a', 'A1'), contact('b', 'B1')], ['c'], more),
    page([contact('c', 'C2'), contact('a', 'A2')], ['b'], more),
    page([contact('b', 'B3')], ['a'], { kind: 'caught_up', cursor: 'z' }),
  ];
  const merged = mergePages(pages);
  expect(merged.next).toEqual({ kind: 'caught_up', cursor: 'z' });
  expect(applyInOrder([merged])).toEqual(applyInOrder(pages));
  expect(applyInOrder([merged])).toEqual(
    new Map([
      ['b', 'B3'],
      ['c', 'C2'],
    ]),
  );
  // Deleting an item the table does not hold is harmless, so "a" may stay in the deletes.
  expect(merged.deletes).toEqual(['a']);
});

it('keeps a page whose own delete outranks its own upsert', () => {
  const merged = mergePages([
    page([contact('x', 'X')], [], { kind: 'more', continuation: {} }),
    page([contact('y', 'Y')], ['y'], { kind: 'caught_up', cursor: 'c' }),
  ]);
  expect(merged.upserts.map((r) => r.externalId)).toEqual(['x']);
  expect(merged.deletes).toEqual(['y']);
});

test('links: the last set listed for an item and type wins; pages without links add none', () => {
  const set = (fromId: string, toType: string, ...toIds: string[]) => ({
    fromId,
    toType,
    links: toIds.map((toId) => ({ toId, types: [] })),
  });
  const more = { kind: 'more' as const, continuation: {} };
  const merged = mergePages([
    { ...page([], [], more), links: [set('d1', 'companies', 'c1'), set('d1', 'contacts', 'p1')] },
    page([], [], more),
    { ...page([], [], more), links: [set('d1', 'companies'), set('d2', 'companies', 'c2')] },
  ]);
  expect(merged.links).toEqual([
    set('d1', 'companies'),
    set('d1', 'contacts', 'p1'),
    set('d2', 'companies', 'c2'),
  ]);
  expect(mergePages([page([], [], more), page([], [], more)]).links).toBeUndefined();
});

test('set-aside items: the last mention wins, as for upserts and deletes', () => {
  const more = { kind: 'more' as const, continuation: {} };
  const aside = (externalId: string) => ({ externalId, reason: 'unreadable message' });
  const merged = mergePages([
    { ...page([], [], more), setAside: [aside('a'), aside('b')] },
    { ...page([], ['b'], more), setAside: [aside('c')] },
  ]);
  expect(merged.setAside).toEqual([aside('a'), aside('c')]);
  expect(merged.deletes).toEqual(['b']);
  expect(mergePages([page([], [], more), page([], [], more)]).setAside).toBeUndefined();
});
