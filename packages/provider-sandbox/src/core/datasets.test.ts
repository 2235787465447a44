import { createAccountStore } from './accounts';
import { createDatasetStore } from './datasets';
import { type ResourceGenerator } from './types';

// A generator that counts how many items it had to make, to prove laziness.
let made = 0;
const numbers: ResourceGenerator<{ value: number }> = {
  provider: 'hubspot',
  resource: 'numbers',
  idFor: (_account, ordinal) => `n${ordinal}`,
  ordinalOf: (_account, id) => (/^n\d+$/.test(id) ? Number(id.slice(1)) : undefined),
  make: (_account, ordinal) => {
    made += 1;
    return { value: ordinal };
  },
  apply: (item, fields) => ({ value: typeof fields.value === 'number' ? fields.value : item.value }),
};

const clock = { now: () => 1_000_000 };
const setup = (size: number, changeLogLimit = 100) => {
  const account = createAccountStore(clock).create({
    provider: 'hubspot',
    email: 'd@example.com',
    sizes: { numbers: size },
    settings: { changeLogLimit },
  });
  const store = createDatasetStore([numbers as ResourceGenerator<unknown>], clock);
  return { account, store, dataset: store.open(account, numbers) };
};

test('a million-item dataset makes only the items a page touches', () => {
  made = 0;
  const { dataset } = setup(1_000_000);
  const page = dataset.page({ limit: 10, order: 'desc' });
  expect(page.items.map((i) => i.id)).toEqual(Array.from({ length: 10 }, (_, i) => `n${999_999 - i}`));
  expect(page.nextOrdinal).toBe(999_990);
  expect(made).toBeLessThanOrEqual(11);
  expect(dataset.count()).toBe(1_000_000);
});

test('pages skip deleted items and see added ones; changes are deduplicated per id', () => {
  const { dataset, store, account } = setup(5);
  const start = store.currentSeq(account);
  dataset.delete('n1');
  const added = dataset.add({ value: 50 });
  dataset.update('n2', { value: 20 });
  dataset.update('n2', { value: 21 });
  expect(dataset.page({ limit: 10, order: 'asc' }).items.map((i) => i.data.value)).toEqual([0, 21, 3, 4, 50]);
  const changes = dataset.changesSince(start);
  expect(changes.ok && changes.changes.map((c) => `${c.kind}:${c.id}`)).toEqual([
    'delete:n1',
    `add:${added.id}`,
    'update:n2',
  ]);
  expect(dataset.wasDeleted('n1')).toBe(true);
  expect(dataset.get('n1')).toBeUndefined();
  expect(dataset.changesSince(store.currentSeq(account) + 1)).toEqual({ ok: false, reason: 'invalid' });
});

test('trimming the change log expires cursors older than what was dropped', () => {
  const { dataset, store, account } = setup(3, 2);
  const start = store.currentSeq(account);
  dataset.update('n0', { value: 1 });
  const afterFirst = store.currentSeq(account);
  dataset.update('n1', { value: 1 });
  dataset.update('n2', { value: 1 });
  expect(dataset.changesSince(start)).toEqual({ ok: false, reason: 'expired' });
  const recent = dataset.changesSince(afterFirst);
  expect(recent.ok && recent.changes).toHaveLength(2);
  dataset.expireCursors();
  expect(dataset.changesSince(afterFirst)).toEqual({ ok: false, reason: 'expired' });
  expect(dataset.changesSince(store.currentSeq(account)).ok).toBe(true);
});
