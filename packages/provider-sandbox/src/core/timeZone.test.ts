import { offsetMinutes, rfc3339InZone, wallToUtc } from './timeZone';

test('offsets follow daylight saving', () => {
  expect(offsetMinutes('America/New_York', Date.UTC(2026, 0, 15, 12))).toBe(-300);
  expect(offsetMinutes('America/New_York', Date.UTC(2026, 6, 15, 12))).toBe(-240);
  expect(offsetMinutes('Asia/Kolkata', Date.UTC(2026, 6, 15, 12))).toBe(330);
  expect(offsetMinutes('UTC', Date.UTC(2026, 6, 15, 12))).toBe(0);
});

test('a weekly 09:00 in New York stays 09:00 local across the March change', () => {
  const before = wallToUtc('America/New_York', Date.UTC(2026, 2, 5, 9));
  const after = wallToUtc('America/New_York', Date.UTC(2026, 2, 12, 9));
  expect(new Date(before).toISOString()).toBe('2026-03-05T14:00:00.000Z');
  expect(new Date(after).toISOString()).toBe('2026-03-12T13:00:00.000Z');
  expect(rfc3339InZone('America/New_York', after)).toBe('2026-03-12T09:00:00-04:00');
  expect(rfc3339InZone('UTC', after)).toBe('2026-03-12T13:00:00Z');
});
