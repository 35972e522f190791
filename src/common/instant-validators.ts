import { registerDecorator, ValidationOptions } from 'class-validator';
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
