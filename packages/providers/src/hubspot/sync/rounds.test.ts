import { ClassifiedProviderError, type SyncPosition } from '@crm-sync/core';
import { type SimplePublicObject } from '@hubspot/api-client/lib/codegen/crm/objects/models/SimplePublicObject';
import { nextSearchRound, searchRequest } from './objects';
import { continuationOf, type Round, roundFor } from './rounds';

const NOW = new Date('2026-03-01T10:00:00.000Z');
const CURSOR = Date.parse('2026-03-01T09:00:00.000Z');
const spec = {
  objectType: 'deals' as const,
  modifiedProperty: 'hs_lastmodifieddate',
  properties: ['dealname'],
};
type SearchRound = Extract<Round, { phase: 'search' }>;
const search: SearchRound = {
  phase: 'search',
  since: CURSOR - 1000,
  after: null,
  tieAfterId: null,
  deletedSince: CURSOR - 1000,
  nextCursor: CURSOR,
};

describe('roundFor', () => {
  it('starts a full round at `now`, taken before anything is listed', () => {
    expect(roundFor({ mode: 'full', cursor: null, continuation: null }, NOW, 1000)).toEqual({
      phase: 'list',
      startedAt: NOW.getTime(),
      after: null,
    });
  });

  it.each([new Date(CURSOR).toISOString(), String(CURSOR)])(
    'starts an incremental round an overlap before the cursor (%s)',
    (cursor) => {
      expect(roundFor({ mode: 'incremental', cursor, continuation: null }, NOW, 1000)).toEqual(search);
    },
  );

  it('resumes from a stored continuation whatever the mode says', () => {
    const archived: Round = { phase: 'archived', deletedSince: 5, after: '200', nextCursor: 9 };
    const stored = JSON.parse(JSON.stringify(continuationOf(archived))) as SyncPosition['continuation'];
    expect(roundFor({ mode: 'full', cursor: null, continuation: stored }, NOW, 1000)).toEqual(archived);
  });

  it.each<[string, SyncPosition]>([
    ['incremental without a cursor', { mode: 'incremental', cursor: null, continuation: null }],
    ['an unreadable cursor', { mode: 'incremental', cursor: 'soon', continuation: null }],
    ['an unknown phase', { mode: 'full', cursor: null, continuation: { phase: 'walk', after: null } }],
    [
      'a numeric after',
      { mode: 'full', cursor: null, continuation: { phase: 'list', startedAt: 1, after: 3 } },
    ],
    ['a search without since', { mode: 'full', cursor: null, continuation: { ...search, since: 'x' } }],
  ])('%s is cursor_expired', (_name, position) => {
    const thrown = (() => {
      try {
        return roundFor(position, NOW, 1000);
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(ClassifiedProviderError);
    expect((thrown as ClassifiedProviderError).classification).toEqual({ kind: 'cursor_expired' });
  });
});

const object = (id: number, modified: number): SimplePublicObject => ({
  id: String(id),
  properties: { hs_lastmodifieddate: new Date(modified).toISOString() },
  createdAt: new Date(0),
  updatedAt: new Date(modified),
});
const page = (count: number, modified: (i: number) => number) =>
  Array.from({ length: count }, (_, i) => object(3_000_000 + i, modified(i)));

describe('nextSearchRound', () => {
  const full = page(200, (i) => CURSOR + i);

  it('follows `after` while the next page stays inside the 10,000 cap', () => {
    expect(nextSearchRound(search, full, '9800', spec)).toEqual({ ...search, after: '9800' });
  });

  it('starts a new query from the last modified instant seen before the next page would pass the cap', () => {
    expect(nextSearchRound({ ...search, after: '9800' }, full, '10000', spec)).toEqual({
      ...search,
      since: CURSOR + 199,
      after: null,
    });
  });

  it('pages ties by id when the new query would start where this one did', () => {
    const tied = page(200, () => search.since);
    expect(nextSearchRound({ ...search, after: '9800' }, tied, '10000', spec)).toEqual({
      ...search,
      after: null,
      tieAfterId: '0',
    });
    const inTies = { ...search, tieAfterId: '0' };
    expect(nextSearchRound(inTies, tied, '200', spec)).toEqual({ ...search, tieAfterId: '3000199' });
    expect(nextSearchRound(inTies, tied.slice(0, 3), undefined, spec)).toEqual({
      ...search,
      since: search.since + 1,
    });
  });

  it('moves to the archived phase at the end, carrying the round window and cursor', () => {
    expect(nextSearchRound(search, full.slice(0, 5), undefined, spec)).toEqual({
      phase: 'archived',
      deletedSince: search.deletedSince,
      after: null,
      nextCursor: search.nextCursor,
    });
  });
});

describe('searchRequest', () => {
  it('filters GTE since and sorts ascending on the modified property, with `after`', () => {
    expect(searchRequest(spec, { ...search, after: '400' })).toEqual({
      filterGroups: [
        { filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(search.since) }] },
      ],
      sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
      properties: ['dealname'],
      limit: 200,
      after: '400',
    });
  });

  it('pages one instant by id, a fresh query each time', () => {
    expect(searchRequest(spec, { ...search, after: '400', tieAfterId: '3000199' })).toMatchObject({
      filterGroups: [
        {
          filters: [
            { propertyName: 'hs_lastmodifieddate', operator: 'EQ', value: String(search.since) },
            { propertyName: 'hs_object_id', operator: 'GT', value: '3000199' },
          ],
        },
      ],
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
    });
    expect(searchRequest(spec, { ...search, after: '400', tieAfterId: '0' })).not.toHaveProperty('after');
  });
});
