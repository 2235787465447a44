import { ClassifiedProviderError, type SyncPosition } from '@crm-sync/core';
import { type SimplePublicObject } from '@hubspot/api-client/lib/codegen/crm/objects/models/SimplePublicObject';
import { nextSearchRound, searchRequest } from './search';
import { continuationOf, cursorOf, linksPassOf, parseCursor, type Round, roundFor } from './rounds';

const NOW = new Date('2026-03-01T10:00:00.000Z');
const CURSOR = Date.parse('2026-03-01T09:00:00.000Z');
const OVERLAP = 1000;
const PASS_EVERY = 3_600_000;
/** The last association pass: 30 minutes before NOW, so none is due yet. */
const LINKS_AT = NOW.getTime() - 1_800_000;
const spec = { objectType: 'deals' as const, modifiedProperty: 'hs_lastmodifieddate', addressProperties: [] };
type SearchRound = Extract<Round, { phase: 'search' }>;
const search: SearchRound = {
  phase: 'search',
  since: CURSOR - 1000,
  tieAfterId: null,
  deletedSince: CURSOR - 1000,
  nextCursor: CURSOR,
  linksAt: LINKS_AT,
  linksPassAt: null,
};
const stored = cursorOf(CURSOR, LINKS_AT);
const list = { phase: 'list', startedAt: NOW.getTime(), after: null };

describe('cursor', () => {
  it('is the watermark and the last association pass; older cursors read as their watermark, a pass long due', () => {
    expect(stored).toBe(`2026-03-01T09:00:00.000Z|links=${LINKS_AT}`);
    expect(parseCursor(stored)).toBe(CURSOR);
    expect(linksPassOf(stored)).toBe(LINKS_AT);
    expect(linksPassOf('2026-03-01T09:00:00.000Z')).toBe(0);
    expect(linksPassOf('2026-03-01T09:00:00.000Z|2026-03-01T08:00:00.000Z|1+2')).toBe(0);
    expect(parseCursor('2026-03-01T09:00:00.000Z|2026-03-01T08:00:00.000Z|1+2')).toBe(CURSOR);
    expect(parseCursor('soon|2026-03-01T08:00:00.000Z|1')).toBeUndefined();
    expect(parseCursor(null)).toBeUndefined();
  });
});

describe('roundFor', () => {
  it('starts a full round at `now`, taken before anything is listed', () => {
    expect(roundFor({ mode: 'full', cursor: null, continuation: null }, NOW, OVERLAP, PASS_EVERY)).toEqual(
      list,
    );
  });

  it('starts an incremental round an overlap before the watermark', () => {
    expect(
      roundFor({ mode: 'incremental', cursor: stored, continuation: null }, NOW, OVERLAP, PASS_EVERY),
    ).toEqual(search);
  });

  it('ends an incremental round with an association pass once the last one is PASS_EVERY old', () => {
    const due = cursorOf(CURSOR, NOW.getTime() - PASS_EVERY);
    expect(
      roundFor({ mode: 'incremental', cursor: due, continuation: null }, NOW, OVERLAP, PASS_EVERY),
    ).toEqual({
      ...search,
      linksAt: NOW.getTime() - PASS_EVERY,
      linksPassAt: NOW.getTime(),
    });
  });

  it('resumes from a stored continuation whatever the mode says', () => {
    const archived: Round = {
      phase: 'archived',
      deletedSince: 5,
      after: 'x',
      nextCursor: 9,
      linksAt: 7,
    };
    const json = JSON.parse(JSON.stringify(continuationOf(archived))) as SyncPosition['continuation'];
    expect(roundFor({ mode: 'full', cursor: null, continuation: json }, NOW, OVERLAP, PASS_EVERY)).toEqual(
      archived,
    );
  });

  it.each<[string, SyncPosition]>([
    ['incremental without a cursor', { mode: 'incremental', cursor: null, continuation: null }],
    ['an unreadable cursor', { mode: 'incremental', cursor: 'soon', continuation: null }],
    ['an unknown phase', { mode: 'full', cursor: null, continuation: { phase: 'walk' } }],
    [
      'a numeric after',
      { mode: 'full', cursor: null, continuation: { phase: 'list', startedAt: 1, after: 3 } },
    ],
    ['a search without since', { mode: 'full', cursor: null, continuation: { ...search, since: 'x' } }],
    [
      'pending links that are not ids',
      { mode: 'full', cursor: null, continuation: { ...list, linksOf: [1] } },
    ],
  ])('%s is cursor_expired', (_name, position) => {
    const thrown = (() => {
      try {
        return roundFor(position, NOW, OVERLAP, PASS_EVERY);
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
  it('starts the next query at the last instant read after a full page', () => {
    expect(
      nextSearchRound(
        search,
        page(200, (i) => CURSOR + i),
        spec,
      ),
    ).toEqual({
      ...search,
      since: CURSOR + 199,
    });
  });

  it('pages ties by id when a whole page shares the instant it started at, then goes on after it', () => {
    const tied = page(200, () => search.since);
    expect(nextSearchRound(search, tied, spec)).toEqual({ ...search, tieAfterId: '0' });
    const inTies = { ...search, tieAfterId: '0' };
    expect(nextSearchRound(inTies, tied, spec)).toEqual({ ...search, tieAfterId: '3000199' });
    expect(nextSearchRound(inTies, tied.slice(0, 3), spec)).toEqual({ ...search, since: search.since + 1 });
  });

  it('moves to the archived phase after a short page, carrying the round window and cursor', () => {
    expect(
      nextSearchRound(
        search,
        page(5, (i) => CURSOR + i),
        spec,
      ),
    ).toEqual({
      phase: 'archived',
      deletedSince: search.deletedSince,
      after: null,
      nextCursor: search.nextCursor,
      linksAt: LINKS_AT,
    });
  });

  it('moves to the association pass instead when one is due, and only for a type that owns associations', () => {
    const due = { ...search, linksPassAt: NOW.getTime() };
    const short = page(5, (i) => CURSOR + i);
    expect(nextSearchRound(due, short, spec)).toEqual({
      phase: 'links',
      after: null,
      deletedSince: search.deletedSince,
      nextCursor: search.nextCursor,
      linksAt: NOW.getTime(),
    });
    const companies = {
      objectType: 'companies' as const,
      modifiedProperty: 'hs_lastmodifieddate',
      addressProperties: [],
    };
    expect(nextSearchRound(due, short, companies)).toMatchObject({ phase: 'archived', linksAt: LINKS_AT });
  });
});

describe('searchRequest', () => {
  it('filters GTE since and sorts ascending on the modified property, never with `after`', () => {
    expect(searchRequest(spec, search, ['dealname'])).toEqual({
      filterGroups: [
        { filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(search.since) }] },
      ],
      sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
      properties: ['dealname'],
      limit: 200,
    });
  });

  it('pages one instant by id, a fresh query each time', () => {
    expect(searchRequest(spec, { ...search, tieAfterId: '3000199' }, ['dealname'])).toMatchObject({
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
  });
});
