/**
 * Europe/London wall-clock arithmetic, in one place: working-day timescales, the date and time inputs
 * on the pages (what a teacher in Cardiff sees on the classroom clock) and report periods are all
 * judged on the London calendar, whatever time zone the server runs in.
 *
 * Pure functions of their arguments: no clock, no process.env. Instants are milliseconds since the
 * epoch unless a `Date` is asked for; the wall clock is read with Intl (never with the host's
 * `getHours()` etc.).
 */

import { DAY_MS, DayNumber, parseCalendarDate } from '../common/calendar-date';

// Calendar dates themselves are common's; re-exported so calendar arithmetic has one entry point.
export { DAY_MS, parseCalendarDate };
export type { DayNumber };

export const LONDON_TIME_ZONE = 'Europe/London';

export const HOUR_MS = 3600 * 1000;

/** Milliseconds since local midnight on the wall clock. */
export type TimeOfDay = number;

/** A wall-clock reading as a calendar date and a time of day. */
export interface LocalDateTime {
  day: DayNumber;
  time: TimeOfDay;
}

/** What the London clock shows, field by field (month 1–12, hour 0–23). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const wallClockFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON_TIME_ZONE,
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

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The London wall clock at an instant, to the second. */
export function londonWallClock(instant: number): WallClock {
  const fields: Record<string, number> = {};
  for (const part of wallClockFormat.formatToParts(instant))
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  return {
    year: fields.year,
    month: fields.month,
    day: fields.day,
    hour: fields.hour,
    minute: fields.minute,
    second: fields.second,
  };
}

/** The London wall-clock reading at an instant, to the millisecond, as if it were a UTC time. */
function wallMillis(instant: number): number {
  const w = londonWallClock(instant);
  const millis = ((instant % 1000) + 1000) % 1000;
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, millis);
}

/** The Europe/London wall-clock date and time of an instant. */
export function londonDateTime(instant: number): LocalDateTime {
  const wall = wallMillis(instant);
  const day = Math.floor(wall / DAY_MS);
  return { day, time: wall - day * DAY_MS };
}

/** Milliseconds the London clock is ahead of UTC at an instant (0 in GMT, one hour in BST). */
export function londonOffsetAt(instant: number): number {
  return wallMillis(instant) - instant;
}

/**
 * The instant at which the London wall clock shows `time` on `day`. A time the clock skips (the
 * spring-forward hour) is read with the offset in force before the change, i.e. pushed forward by the
 * gap to the same moment after it (01:30 → 02:30 BST); a time the clock shows twice (the autumn hour)
 * gives the earlier (BST) instant. Local midnight is always shown exactly once: UK clocks change at
 * 01:00 UTC, never at local midnight.
 */
export function londonInstantOf(day: DayNumber, time: TimeOfDay): number {
  const wall = day * DAY_MS + time;
  // UK offsets change at most twice a year, so the offsets in force three hours either side of the
  // wall reading are the only candidates.
  const before = londonOffsetAt(wall - 3 * HOUR_MS);
  const after = londonOffsetAt(wall + 3 * HOUR_MS);
  // No change within three hours either side (the usual case): the one offset applies.
  if (before === after) return wall - before;
  const exact = [wall - before, wall - after].filter((instant) => wallMillis(instant) === wall);
  return exact.length > 0 ? Math.min(...exact) : wall - before;
}

/** A clock reading `H:MM`, `HH:MM` or `HH:MM:SS` as a time of day, or undefined: `25:00` is not one. */
export function parseTimeOfDay(text: string): TimeOfDay | undefined {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!match) return undefined;
  const [hour, minute, second] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return ((hour * 60 + minute) * 60 + second) * 1000;
}

/** The `YYYY-MM-DD` of a day number. */
export function formatCalendarDate(day: DayNumber): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

const dateText = (w: WallClock) => `${w.year}-${pad(w.month)}-${pad(w.day)}`;

/** The London calendar date of an instant, `YYYY-MM-DD`. */
export function londonDateOf(instant: Date): string {
  return dateText(londonWallClock(instant.getTime()));
}

/** The London date (`YYYY-MM-DD`) and time (`HH:MM`) of an instant: what the inputs show by default. */
export function londonDateAndTime(instant: Date | string = new Date()): { date: string; time: string } {
  const w = londonWallClock(new Date(instant).getTime());
  return { date: dateText(w), time: `${pad(w.hour)}:${pad(w.minute)}` };
}

/**
 * The instant a London wall-clock reading names, as an ISO string with its offset
 * (`2026-07-01T10:00:00+01:00`), or null when the date or time is not a real one (`2026-02-30`,
 * `25:00`). Date and time inputs on the pages are such readings; the services take ISO instants with
 * a zone. Skipped and repeated readings follow `londonInstantOf`.
 */
export function londonInstant(date: string | undefined | null, time: string | undefined | null): string | null {
  if (typeof date !== 'string' || typeof time !== 'string') return null;
  const day = parseCalendarDate(date.trim());
  const timeOfDay = parseTimeOfDay(time.trim());
  if (day === undefined || timeOfDay === undefined) return null;
  return isoWithOffset(londonInstantOf(day, timeOfDay));
}

/** `2026-07-01T10:00:00+01:00`: the London wall clock at `instant`, with its offset. */
export function isoWithOffset(instant: number): string {
  const w = londonWallClock(instant);
  const offsetMinutes = Math.round(londonOffsetAt(instant) / 60000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
