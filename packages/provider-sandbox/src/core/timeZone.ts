// Wall-clock arithmetic in IANA time zones with the platform's Intl data: recurring events repeat at the same local
// time across daylight-saving changes (RFC 5545 §3.3.10), so their UTC instants are computed through the zone.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, format);
  }
  return format;
}

/** The zone's offset from UTC at an instant, in minutes (east positive). */
export function offsetMinutes(zone: string, utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const { type, value } of formatter(zone).formatToParts(utcMs)) parts[type] = Number(value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/** The instant at which the zone's clocks show `wallMs` (a UTC-encoded wall time). */
export function wallToUtc(zone: string, wallMs: number): number {
  const guess = wallMs - offsetMinutes(zone, wallMs) * 60_000;
  return wallMs - offsetMinutes(zone, guess) * 60_000;
}

/** RFC 3339 with the zone's offset at that instant, as Google writes event times (`2024-03-05T09:00:00-05:00`). */
export function rfc3339InZone(zone: string, utcMs: number): string {
  const offset = offsetMinutes(zone, utcMs);
  const wall = new Date(utcMs + offset * 60_000).toISOString().slice(0, 19);
  if (offset === 0) return `${wall}Z`;
  const abs = Math.abs(offset);
  const sign = offset < 0 ? '-' : '+';
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
