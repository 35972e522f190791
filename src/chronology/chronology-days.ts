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
 * The London day an entry belongs to, `YYYY-MM-DD`. An enrolment happens on a day (its `at` is that
 * date at 00:00Z, not an instant); everything else at an instant, whose day is London's.
 */
export function entryDay(entry: { kind: string; at: string }): string {
  return entry.kind === 'enrolment' ? entry.at.slice(0, 10) : londonDateOf(new Date(entry.at));
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
