import { applyDecorators, ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { registerDecorator, ValidateBy, ValidationOptions } from 'class-validator';
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

/** How many values `nulFieldOf` looks at, at most (bodies are already bounded by request hygiene, queries by qs). */
const NUL_SCAN_LIMIT = 20_000;

/**
 * The first field holding a NUL (in a key or a text value), as an API field path (`referral.householdMembers.0.name`),
 * or null. A NUL is never meaningful input, and PostgreSQL refuses it in text with an error (a 500 if it
 * reached a query), so it is refused here for every body, query and path parameter, before any DTO rule.
 */
export function nulFieldOf(value: unknown, path = ''): string | null {
  const stack: Array<{ value: unknown; path: string }> = [{ value, path }];
  for (let seen = 0; stack.length && seen < NUL_SCAN_LIMIT; seen += 1) {
    const next = stack.pop()!;
    if (typeof next.value === 'string') {
      if (next.value.includes('\u0000')) return next.path;
      continue;
    }
    if (next.value === null || typeof next.value !== 'object') continue;
    for (const [key, item] of Object.entries(next.value)) {
      const at = next.path ? `${next.path}.${key}` : key;
      if (key.includes('\u0000')) return at;
      stack.push({ value: item, path: at });
    }
  }
  return null;
}

/** The app's ValidationPipe, which first refuses a NUL anywhere in what it is given (see nulFieldOf). */
class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // `custom` is a parameter the app made (the signed-in actor, the reader's language), not input.
    if (metadata.type !== 'custom') {
      const field = nulFieldOf(value, metadata.data ?? '');
      if (field !== null) {
        const name = field || metadata.type;
        throw new InvalidInputError({ [name]: [`${name} must not contain a NUL character`] });
      }
    }
    return super.transform(value, metadata);
  }
}

/** One pipe for the whole app: no NUL anywhere, unknown fields rejected, types converted, field-by-field 400s. */
export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
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

/** The length of a list that was sent longer than its maximum, kept on the empty list that replaces it. */
const SENT_LENGTH = Symbol('sentLength');
type OverLongList = unknown[] & { [SENT_LENGTH]?: number };

/** How many items a list was sent with (its own length, unless it was too long and set aside). */
export function sentLength(list: unknown[]): number {
  return (list as OverLongList)[SENT_LENGTH] ?? list.length;
}

/**
 * At most `max` items in a list; the limit travels with the rule (`context`), so a page form can say it.
 *
 * class-validator runs every rule of a field, so a plain ArrayMaxSize still checks each of a too-long
 * list's items (and answers with an error per item). Here a list over the limit is set aside when the
 * DTO is built: it becomes an empty list that remembers how long it was, so the item rules (`each`,
 * ValidateNested) have nothing to walk and the answer names only the list. Works with `@Type` (the
 * items class-transformer built are dropped). class-transformer runs a field's transforms top to bottom
 * as written, so write it below a `@Transform` that makes the list (in `applyDecorators`, before it).
 */
export function AtMostItems(max: number, validationOptions?: ValidationOptions): PropertyDecorator {
  const setAside = Transform(
    ({ value }: { value: unknown }) =>
      Array.isArray(value) && value.length > max ? Object.assign([], { [SENT_LENGTH]: value.length }) : value,
    { toClassOnly: true },
  );
  const atMost = ValidateBy(
    {
      // The name class-validator's ArrayMaxSize has, so a form reads it as "too many" as before.
      name: 'arrayMaxSize',
      constraints: [max],
      validator: {
        validate: (value: unknown) => !Array.isArray(value) || sentLength(value) <= max,
        defaultMessage: (args) => `${args?.property} must have at most ${max} items`,
      },
    },
    { ...validationOptions, context: { max, ...(validationOptions?.context as object) } },
  );
  return applyDecorators(atMost, setAside);
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
