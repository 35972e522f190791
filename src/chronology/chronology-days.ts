import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { londonDateOf } from '../calendar/london-time';
import { parseCalendarDate } from '../common/calendar-date';

const FIRST_DAY = parseCalendarDate('2000-01-01')!;
const LAST_DAY = parseCalendarDate('2099-12-31')!;

/** A real `YYYY-MM-DD` date in 2000–2099: a chronology's date-range bound. */
export function isChronologyDay(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const day = parseCalendarDate(value);
  return day !== undefined && day >= FIRST_DAY && day <= LAST_DAY;
}

/**
 * Kinds that happen on a day, not at an instant: their `at` is that date at 00:00Z (an enrolment's
 * start or end; a PRU placement's start or end, which replace those enrolment entries).
 */
const DAY_KINDS: ReadonlySet<string> = new Set(['enrolment', 'placement_started', 'placement_ended']);

/** Whether an entry is dated by a day alone (printed without a time). */
export function isDayEntry(entry: { kind: string }): boolean {
  return DAY_KINDS.has(entry.kind);
}

/** The London day an entry belongs to, `YYYY-MM-DD`: a day entry's own date, else its instant's day in London. */
export function entryDay(entry: { kind: string; at: string }): string {
  return isDayEntry(entry) ? entry.at.slice(0, 10) : londonDateOf(new Date(entry.at));
}

/** Both bounds inclusive; either may be missing. Days compare as text (`YYYY-MM-DD`). */
export function withinDays(entry: { kind: string; at: string }, from?: string, to?: string): boolean {
  if (!from && !to) return true;
  const day = entryDay(entry);
  return (!from || day >= from) && (!to || day <= to);
}

/** A query's `from` / `to`: a real date, 2000–2099. */
export function IsChronologyDay(validationOptions?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isChronologyDay',
      target: object.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate: (value: unknown) => isChronologyDay(value),
        defaultMessage: () => `${propertyName} must be a real date written YYYY-MM-DD, between 2000 and 2099`,
      },
    });
}

/** `to` is the same day as `from` or after it (checked only when both are real dates). */
export function IsNotBeforeDay(field: string, validationOptions?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isNotBeforeDay',
      target: object.constructor,
      propertyName,
      constraints: [field],
      options: validationOptions,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const from = (args.object as Record<string, unknown>)[field];
          if (!isChronologyDay(value) || !isChronologyDay(from)) return true;
          return value >= from;
        },
        defaultMessage: () => `${propertyName} must be the same day as ${field} or after it`,
      },
    });
}
