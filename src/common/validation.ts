import { ValidationError, ValidationPipe } from '@nestjs/common';
import { registerDecorator, ValidationOptions } from 'class-validator';
import { FieldErrors, InvalidInputError } from './domain-error';

/** Flattens class-validator's tree into `{ 'consent.given': [...], 'linkedPupils.0.role': [...] }`. */
export function fieldErrorsOf(errors: ValidationError[], parent = ''): FieldErrors {
  const result: FieldErrors = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) result[path] = Object.values(error.constraints);
    if (error.children?.length) Object.assign(result, fieldErrorsOf(error.children, path));
  }
  return result;
}

/** One pipe for the whole app: unknown fields rejected, types converted, field-by-field 400s. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => new InvalidInputError(fieldErrorsOf(errors)),
  });
}

// Control characters other than tab, LF and CR have no place in anything a person types.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function hasControlCharacters(value: string): boolean {
  return CONTROL_CHARACTERS.test(value);
}

/** Text as people type it: a string, within length, no NUL or other control characters. Stored verbatim. */
export function IsPlainText(options: { min?: number; max: number }, validationOptions?: ValidationOptions) {
  const min = options.min ?? 1;
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isPlainText',
      target: object.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        // A required text must say something: only spaces counts as empty (it is still stored exactly as sent).
        validate: (value: unknown) =>
          typeof value === 'string' &&
          value.length >= min &&
          value.length <= options.max &&
          !hasControlCharacters(value) &&
          (min === 0 || value.trim().length > 0),
        defaultMessage: (args) => {
          const value = args?.value;
          if (typeof value !== 'string') return `${propertyName} must be text`;
          if (value.length < min || (min > 0 && value.trim().length === 0))
            return min === 1 || value.length >= min
              ? `${propertyName} must not be empty`
              : `${propertyName} must be at least ${min} characters`;
          if (value.length > options.max) return `${propertyName} must be at most ${options.max} characters`;
          return `${propertyName} must not contain control characters`;
        },
      },
    });
}
