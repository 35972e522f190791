/**
 * Date and time inputs on the pages are Europe/London wall-clock readings (what a teacher in Cardiff
 * sees on the classroom clock); the services take ISO instants with a zone. Pure functions, read with
 * Intl so the server's own time zone never matters.
 */

export const SCHOOL_TIME_ZONE = 'Europe/London';

const HOUR_MS = 3600 * 1000;

const wallClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: SCHOOL_TIME_ZONE,
  calendar: 'gregory',
  numberingSystem: 'latn',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClockAt(instant: number): WallClock {
  const fields: Record<string, number> = {};
  for (const part of wallClock.formatToParts(instant)) if (part.type !== 'literal') fields[part.type] = Number(part.value);
  return { year: fields.year, month: fields.month, day: fields.day, hour: fields.hour, minute: fields.minute, second: fields.second };
}

/** Milliseconds the London clock is ahead of UTC at an instant (0 in GMT, one hour in BST). */
function offsetAt(instant: number): number {
  const w = wallClockAt(instant);
  const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wall - (instant - (((instant % 1000) + 1000) % 1000));
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The London date (`YYYY-MM-DD`) and time (`HH:MM`) of an instant: what the inputs show by default. */
export function londonDateAndTime(instant: Date | string = new Date()): { date: string; time: string } {
  const w = wallClockAt(new Date(instant).getTime());
  return { date: `${w.year}-${pad(w.month)}-${pad(w.day)}`, time: `${pad(w.hour)}:${pad(w.minute)}` };
}

/** `2026-02-30` and `25:00` are not readings of any clock. */
function parseReading(date: string, time: string): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  const t = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(time.trim());
  if (!d || !t) return null;
  const [year, month, day] = d.slice(1).map(Number);
  const [hour, minute, second] = [Number(t[1]), Number(t[2]), Number(t[3] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return wall;
}

/**
 * The instant a London wall-clock reading names, as an ISO string with its offset
 * (`2026-07-01T10:00:00+01:00`), or null when the date or time is not a real one. A time the clock
 * skips in spring is read as the same moment after the change (01:30 → 02:30 BST); a time the clock
 * shows twice in autumn gives the earlier (BST) instant.
 */
export function londonInstant(date: string | undefined | null, time: string | undefined | null): string | null {
  if (typeof date !== 'string' || typeof time !== 'string') return null;
  const wall = parseReading(date, time);
  if (wall === null) return null;
  const before = offsetAt(wall - 3 * HOUR_MS);
  const after = offsetAt(wall + 3 * HOUR_MS);
  const exact = [...new Set([before, after])].map((offset) => wall - offset).filter((instant) => offsetAt(instant) === wall - instant);
  const instant = exact.length > 0 ? Math.min(...exact) : wall - before;
  return isoWithOffset(instant);
}

/** `2026-07-01T10:00:00+01:00`: the London wall clock at `instant`, with its offset. */
export function isoWithOffset(instant: number): string {
  const w = wallClockAt(instant);
  const offsetMinutes = Math.round(offsetAt(instant) / 60000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
