import {
  DAY_MS,
  DayNumber,
  formatCalendarDate,
  londonDateOf,
  londonInstantOf,
  parseCalendarDate,
} from '../calendar/london-time';
import { InvalidInputError } from '../common/domain-error';

/**
 * A report's period: whole calendar days on the Europe/London calendar (what a school means by
 * "from 1 September to 31 March"), whatever time zone the server runs in.
 *
 * - `from` and `to` are `YYYY-MM-DD` dates; both are included. `to` runs to the end of that day in
 *   London, so the database range is [London midnight starting `from`, London midnight after `to`).
 * - Defaults: `to` is today (London); `from` is the day after the same date a year before `to`, so
 *   the default period is exactly the last 12 months, today included (16 March 2025 – 15 March 2026).
 *   A `from` alone runs to today; a `to` alone covers the 12 months up to it.
 * - Empty strings (an empty date box on the page) mean "not given".
 * - A date that is not a real calendar date, or outside 2000–2099, is invalid; `from` after `to` is
 *   invalid (the error is keyed `to`, the date to correct), as is a `from` alone that is after today
 *   (keyed `from`: there is no `to` to correct).
 */
export interface ReportPeriod {
  /** First day included, `YYYY-MM-DD` (London). */
  from: string;
  /** Last day included, `YYYY-MM-DD` (London). */
  to: string;
  /** ISO instant (UTC) of London midnight at the start of `from`: compare `>=`. */
  startsAt: string;
  /** ISO instant (UTC) of London midnight at the end of `to`: compare `<`. */
  endsBefore: string;
}

export type PeriodProblem = 'invalid' | 'before_from' | 'after_today';

const PROBLEM_MESSAGES: Record<PeriodProblem, string> = {
  invalid: '{field} must be a real date written YYYY-MM-DD, between 2000 and 2099',
  before_from: 'to must be the same as or after from',
  after_today: 'from must be today or earlier when to is not given',
};

/** Invalid period input (400), keyed `from` / `to`; `problems` lets a page pick its own wording. */
export class ReportPeriodError extends InvalidInputError {
  constructor(readonly problems: Partial<Record<'from' | 'to', PeriodProblem>>) {
    const messages: Record<string, string[]> = {};
    for (const [field, problem] of Object.entries(problems)) {
      messages[field] = [PROBLEM_MESSAGES[problem].replace('{field}', field)];
    }
    super(messages, 'The report period is not valid');
  }
}

const FIRST_DAY = parseCalendarDate('2000-01-01')!;
const LAST_DAY = parseCalendarDate('2099-12-31')!;

/** Day number of a real `YYYY-MM-DD` date in 2000–2099, else undefined. */
function dayNumber(text: string): DayNumber | undefined {
  const day = parseCalendarDate(text);
  return day !== undefined && day >= FIRST_DAY && day <= LAST_DAY ? day : undefined;
}

/**
 * The instant London's clock reads 00:00 on `day`. UK clocks change at 01:00 UTC, never at local
 * midnight, so midnight is 00:00Z in GMT or 23:00Z the day before in BST: exactly one of the two, and
 * never a skipped or repeated reading.
 */
function londonMidnight(day: DayNumber): string {
  return new Date(londonInstantOf(day, 0)).toISOString();
}

/** The same date a year earlier, plus one day (29 February falls back to 28 February first). */
function yearBefore(day: DayNumber): DayNumber {
  const date = new Date(day * DAY_MS);
  const year = date.getUTCFullYear() - 1;
  const month = date.getUTCMonth();
  const lastOfMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(date.getUTCDate(), lastOfMonth)) / DAY_MS + 1;
}

const given = (value: string | undefined | null): value is string => typeof value === 'string' && value !== '';

/** Reads `from` / `to` into a period, or throws ReportPeriodError. `now` decides "today". */
export function reportPeriod(input: { from?: string | null; to?: string | null }, now: Date): ReportPeriod {
  const problems: Partial<Record<'from' | 'to', PeriodProblem>> = {};
  const fromDay = given(input.from) ? dayNumber(input.from) : undefined;
  const toDay = given(input.to) ? dayNumber(input.to) : undefined;
  if (given(input.from) && fromDay === undefined) problems.from = 'invalid';
  if (given(input.to) && toDay === undefined) problems.to = 'invalid';
  if (Object.keys(problems).length > 0) throw new ReportPeriodError(problems);

  const to = toDay ?? dayNumber(londonDateOf(now)) ?? Math.floor(now.getTime() / DAY_MS);
  const from = fromDay ?? yearBefore(to);
  if (from > to) throw new ReportPeriodError(toDay === undefined ? { from: 'after_today' } : { to: 'before_from' });
  return {
    from: formatCalendarDate(from),
    to: formatCalendarDate(to),
    startsAt: londonMidnight(from),
    endsBefore: londonMidnight(to + 1),
  };
}
