import { DayNumber, LocalDateTime, londonDateTime, londonInstantOf, parseCalendarDate } from './london-time';

/**
 * Working-day arithmetic for the statutory timescales (DOMAIN.md, "Timescales"): Monday to Friday, less
 * bank holidays, judged on the Europe/London calendar whatever time zone the server runs in.
 *
 * Pure functions of their arguments: no clock, no process.env. Instants are `Date`s; every "local" date
 * or time below means Europe/London wall-clock, read with Intl (never with the host's `getHours()` etc.)
 * through ./london-time.
 */

function instantOf(date: Date, name: string): number {
  const instant = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(instant)) throw new RangeError(`${name} must be a valid Date`);
  return instant;
}

/**
 * A working-day calendar: Monday–Friday, less bank holidays (YYYY-MM-DD, in Europe/London local dates).
 *
 * Counting rules (the timescales are "within N working days"):
 * - An instant on a working day keeps its local wall-clock time: Monday 10:00 + 1 is Tuesday 10:00,
 *   Friday 16:30 + 1 is Monday 16:30 (10:00 stays 10:00 across a GMT/BST change).
 * - An instant on a weekend or bank holiday starts the clock at the same wall-clock time on the next
 *   working day: Saturday 11:00 + 1 is Tuesday 11:00 (Monday 11:00 + 1). Something received when the
 *   office is shut counts as received when it reopens, so the team still gets a whole working day (not
 *   Monday 11:00, which would give less), and a due time is always the clock time people sent it at,
 *   never a midnight nobody would say (DOMAIN.md, Timescales). The price: a referral sent on Sunday
 *   01:00 is due before one sent on Saturday 23:00; each still gets its whole working day.
 * - `workingDaysBetween(from, to)` is the largest n with `addWorkingDays(from, n) <= to`, so the two
 *   always agree: `workingDaysBetween(from, addWorkingDays(from, n)) === n`.
 */
export class WorkingDayCalendar {
  private readonly holidays: ReadonlySet<DayNumber>;

  constructor(bankHolidays: readonly string[]) {
    const days = new Set<DayNumber>();
    for (const holiday of bankHolidays) {
      const day = typeof holiday === 'string' ? parseCalendarDate(holiday) : undefined;
      if (day === undefined)
        throw new RangeError(`Bank holiday "${String(holiday)}" is not a YYYY-MM-DD calendar date`);
      days.add(day);
    }
    this.holidays = days;
  }

  /** Judged on the Europe/London local calendar date of the instant. */
  isWorkingDay(date: Date): boolean {
    return this.isWorkingDayNumber(londonDateTime(instantOf(date, 'date')).day);
  }

  /**
   * The same local wall-clock time `n` working days later (n >= 0, a whole number). If `from` is not on a
   * working day, counting starts at the same time on the next working day, so Saturday 11:00 + 0 is
   * Monday 11:00 and Saturday 11:00 + 1 is Tuesday 11:00.
   */
  addWorkingDays(from: Date, n: number): Date {
    if (!Number.isSafeInteger(n) || n < 0)
      throw new RangeError(`n must be a whole number of working days >= 0, got ${n}`);
    const start = this.clockStart(instantOf(from, 'from'));
    let day = start.day;
    for (let counted = 0; counted < n; counted += 1) day = this.nextWorkingDay(day);
    return new Date(londonInstantOf(day, start.time));
  }

  /**
   * Whole working days elapsed from `from` to `to` (0 if to <= from): a working day counts as elapsed
   * once the same local time on the next working day is reached, i.e. the largest n with
   * `addWorkingDays(from, n) <= to`. "Prompt to chase after 7 working days" is
   * `workingDaysBetween(sentAt, now) >= 7`.
   */
  workingDaysBetween(from: Date, to: Date): number {
    const fromInstant = instantOf(from, 'from');
    const toInstant = instantOf(to, 'to');
    if (toInstant <= fromInstant) return 0;
    const start = this.clockStart(fromInstant);
    const end = londonDateTime(toInstant);
    let elapsed = 0;
    for (let day = this.nextWorkingDay(start.day); day <= end.day; day = this.nextWorkingDay(day)) {
      // Any time on an earlier local date is before `to`; on `to`'s own date, compare the times.
      if (day === end.day && londonInstantOf(day, start.time) > toInstant) break;
      elapsed += 1;
    }
    return elapsed;
  }

  /** Where the count starts: the instant's own date and time on a working day, else the same time on the next one. */
  private clockStart(instant: number): LocalDateTime {
    const local = londonDateTime(instant);
    if (this.isWorkingDayNumber(local.day)) return local;
    return { day: this.nextWorkingDay(local.day), time: local.time };
  }

  private nextWorkingDay(day: DayNumber): DayNumber {
    let next = day + 1;
    while (!this.isWorkingDayNumber(next)) next += 1;
    return next;
  }

  private isWorkingDayNumber(day: DayNumber): boolean {
    // 1970-01-01 was a Thursday: (day + 4) % 7 gives 0 = Sunday ... 6 = Saturday.
    const weekday = (((day + 4) % 7) + 7) % 7;
    return weekday !== 0 && weekday !== 6 && !this.holidays.has(day);
  }
}

/**
 * England & Wales bank holidays 2025–2028 (gov.uk/bank-holidays): New Year's Day, Good Friday, Easter
 * Monday, early May, spring and summer bank holidays, Christmas Day and Boxing Day, with substitute days
 * when one falls at a weekend. Extend (or set BANK_HOLIDAYS) before 2029, and add any one-off holidays
 * proclaimed later.
 */
export const WALES_BANK_HOLIDAYS_2025_2028: readonly string[] = Object.freeze([
  // 2025 (Easter Sunday 20 April)
  '2025-01-01',
  '2025-04-18',
  '2025-04-21',
  '2025-05-05',
  '2025-05-26',
  '2025-08-25',
  '2025-12-25',
  '2025-12-26',
  // 2026 (Easter Sunday 5 April; Boxing Day is a Saturday, substitute Monday 28 December)
  '2026-01-01',
  '2026-04-03',
  '2026-04-06',
  '2026-05-04',
  '2026-05-25',
  '2026-08-31',
  '2026-12-25',
  '2026-12-28',
  // 2027 (Easter Sunday 28 March; Christmas Day and Boxing Day at the weekend, substitutes 27 and 28 December)
  '2027-01-01',
  '2027-03-26',
  '2027-03-29',
  '2027-05-03',
  '2027-05-31',
  '2027-08-30',
  '2027-12-27',
  '2027-12-28',
  // 2028 (New Year's Day is a Saturday, substitute Monday 3 January; Easter Sunday 16 April)
  '2028-01-03',
  '2028-04-14',
  '2028-04-17',
  '2028-05-01',
  '2028-05-29',
  '2028-08-28',
  '2028-12-25',
  '2028-12-26',
]);
