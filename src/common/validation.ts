import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ArrayMaxSize, registerDecorator, ValidationOptions } from 'class-validator';
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

// Control characters other than tab, LF and CR have no place in anything a person types: C0, DEL and
// the C1 controls (U+0080 to U+009F), and a lone surrogate, which is not a character at all.
// eslint-disable-next-line no-control-regex -- these are exactly the characters refused
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function hasControlCharacters(value: string): boolean {
  return CONTROL_CHARACTERS.test(value) || LONE_SURROGATE.test(value);
}

/** Why a text fails IsPlainText, or null when it passes: one answer for the API message and the page's. */
export function plainTextProblem(
  value: unknown,
  options: { min: number; max: number },
): 'missing' | 'tooShort' | 'tooLong' | 'controlCharacters' | null {
  if (typeof value !== 'string') return 'missing';
  if (value.length < options.min || (options.min > 0 && value.trim().length === 0))
    return options.min === 1 || value.length >= options.min ? 'missing' : 'tooShort';
  if (value.length > options.max) return 'tooLong';
  if (hasControlCharacters(value)) return 'controlCharacters';
  return null;
}

/**
 * Text as people type it: a string, within length, no NUL or other control characters. Stored verbatim.
 * The limits travel with the rule (`context`), so a page form reads them from the error, never copies them.
 */
export function IsPlainText(options: { min?: number; max: number }, validationOptions?: ValidationOptions) {
  const min = options.min ?? 1;
  const limits = { min, max: options.max };
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isPlainText',
      target: object.constructor,
      propertyName,
      options: { ...validationOptions, context: { ...limits, ...(validationOptions?.context as object) } },
      validator: {
        // A required text must say something: only spaces counts as empty (it is still stored exactly as sent).
        validate: (value: unknown) => plainTextProblem(value, limits) === null,
        defaultMessage: (args) => {
          const value: unknown = args?.value;
          if (typeof value !== 'string') return `${propertyName} must be text`;
          switch (plainTextProblem(value, limits)) {
            case 'missing':
              return `${propertyName} must not be empty`;
            case 'tooShort':
              return `${propertyName} must be at least ${min} characters`;
            case 'tooLong':
              return `${propertyName} must be at most ${options.max} characters`;
            default:
              return `${propertyName} must not contain control characters`;
          }
        },
      },
    });
}

/** At most `max` items in a list; the limit travels with the rule, so a page form can say it. */
export function AtMostItems(max: number, validationOptions?: ValidationOptions): PropertyDecorator {
  return ArrayMaxSize(max, { ...validationOptions, context: { max } });
}

/** Backdating is normal (a disclosure recorded the next day); the future is not, beyond clock drift. */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
/** Nothing in a pupil's safeguarding record happened before this. */
export const EARLIEST_INSTANT = Date.UTC(1990, 0, 1);

const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/;

/** Why a value is not an instant in range, or null when it is: one answer for the API message and the page's. */
export function instantProblem(value: unknown, now = Date.now()): 'invalid' | 'tooEarly' | 'future' | null {
  if (typeof value !== 'string' || !HAS_ZONE.test(value)) return 'invalid';
  const time = Date.parse(value);
  if (!Number.isFinite(time)) return 'invalid';
  if (time < EARLIEST_INSTANT) return 'tooEarly';
  if (time > now + FUTURE_TOLERANCE_MS) return 'future';
  return null;
}
