/**
 * Calendar dates (`YYYY-MM-DD`: dates of birth, bank holidays, report periods) are plain dates with no
 * time zone, stored as text (`CalendarDateColumn`). Reading one is needed from the configuration up to
 * the pages, so it lives here; wall-clock arithmetic on them is calendar/'s (london-time.ts).
 */

export const DAY_MS = 24 * 3600 * 1000;

/** A calendar date counted in days since 1970-01-01 (proleptic Gregorian, no time zone). */
export type DayNumber = number;

/** The day number of a 'YYYY-MM-DD' string, or undefined if it is not a real calendar date. */
export function parseCalendarDate(text: string): DayNumber | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = match.slice(1).map(Number);
  const time = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 2026-02-30 over to 2026-03-02; a real date survives the round trip.
  const date = new Date(time);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return time / DAY_MS;
}
