import { registerDecorator, ValidationOptions } from 'class-validator';

/** Backdating is normal (a disclosure recorded the next day); the future is not, beyond clock drift. */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
/** Nothing in a pupil's safeguarding record happened before this. */
export const EARLIEST_INSTANT = Date.UTC(1990, 0, 1);

/** An ISO instant with an explicit zone (`Z` or `+01:00`), not more than 5 minutes ahead of now. */
export function IsInstantNotInFuture(validationOptions?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isInstantNotInFuture',
      target: object.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' || !/(Z|[+-]\d{2}:?\d{2})$/.test(value)) return false;
          const time = Date.parse(value);
          return Number.isFinite(time) && time >= EARLIEST_INSTANT && time <= Date.now() + FUTURE_TOLERANCE_MS;
        },
        defaultMessage: (args) => {
          const value = args?.value;
          if (typeof value !== 'string' || !/(Z|[+-]\d{2}:?\d{2})$/.test(value))
            return `${propertyName} must include a time zone`;
          const time = Date.parse(value);
          if (Number.isFinite(time) && time < EARLIEST_INSTANT) return `${propertyName} is too far in the past`;
          return `${propertyName} must not be more than 5 minutes in the future`;
        },
      },
    });
}
