const DAY_MS = 86_400_000;

/** `now` moved by whole days, as Graph writes instants in query options (UTC, seconds, `Z`). */
export function daysFrom(now: Date, days: number): string {
  return new Date(now.getTime() + days * DAY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
