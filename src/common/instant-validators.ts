import { registerDecorator, ValidationOptions } from 'class-validator';
import { DAY_MS, parseCalendarDate } from './calendar-date';
import { EARLIEST_INSTANT, instantProblem } from './validation';

export { EARLIEST_INSTANT, FUTURE_TOLERANCE_MS } from './validation';

/** An ISO instant with an explicit zone (`Z` or `+01:00`), not more than 5 minutes ahead of now. */
export function IsInstantNotInFuture(validationOptions?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isInstantNotInFuture',
      target: object.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate: (value: unknown) => instantProblem(value) === null,
        defaultMessage: (args) => {
          const value: unknown = args?.value;
          if (typeof value !== 'string' || !/(Z|[+-]\d{2}:?\d{2})$/.test(value))
            return `${propertyName} must include a time zone`;
          const time = Date.parse(value);
          if (Number.isFinite(time) && time < EARLIEST_INSTANT) return `${propertyName} is too far in the past`;
          return `${propertyName} must not be more than 5 minutes in the future`;
        },
      },
    });
}

/**
 * A date of birth: a real calendar date `YYYY-MM-DD`, not in the future and not before 1900 (a
 * household member's, typed on a referral; "if known", so the field itself may be left out).
 */
export function IsDateOfBirth(validationOptions?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isDateOfBirth',
      target: object.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const day = parseCalendarDate(value);
          return day !== undefined && day >= parseCalendarDate('1900-01-01')! && day * DAY_MS <= Date.now();
        },
        defaultMessage: () => `${propertyName} must be a real date (YYYY-MM-DD), not in the future`,
      },
    });
}
