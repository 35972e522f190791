import { parseCalendarDate } from '../common/calendar-date';

/** DOMAIN.md, Retention: a pupil's safeguarding records are reviewed at the pupil's 25th birthday. */
export const REVIEW_AGE = 25;

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * The day the records reach review: the pupil's 25th birthday (`YYYY-MM-DD`, a London calendar date).
 * Someone born on 29 February reaches an age on 1 March in a year that has no 29 February.
 */
export function reviewDateOf(dateOfBirth: string): string {
  if (parseCalendarDate(dateOfBirth) === undefined) throw new Error(`Not a calendar date: ${dateOfBirth}`);
  const [year, month, day] = dateOfBirth.split('-').map(Number);
  const reviewYear = year + REVIEW_AGE;
  if (month === 2 && day === 29 && !isLeapYear(reviewYear)) return `${pad(reviewYear, 4)}-03-01`;
  return `${pad(reviewYear, 4)}-${pad(month)}-${pad(day)}`;
}

/**
 * The latest date of birth whose records have reached review on `today` (a London date): records are
 * due exactly when `date_of_birth <= reviewCutOff(today)`, one indexed range over pupils. On 29
 * February, 25 years back may have no 29 February: the 28th is the last birthday already reached (one
 * born on 1 March that year reaches review tomorrow).
 */
export function reviewCutOff(today: string): string {
  const [year, month, day] = today.split('-').map(Number);
  const cutYear = year - REVIEW_AGE;
  if (month === 2 && day === 29 && !isLeapYear(cutYear)) return `${pad(cutYear, 4)}-02-28`;
  return `${pad(cutYear, 4)}-${pad(month)}-${pad(day)}`;
}

/** Whether records of someone born on `dateOfBirth` have reached review on `today` (both London dates). */
export function isDueForReview(dateOfBirth: string, today: string): boolean {
  return reviewDateOf(dateOfBirth) <= today;
}
