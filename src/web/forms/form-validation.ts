import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { FieldErrors } from '../../common/domain-error';
import { instantProblem, plainTextProblem } from '../../common/validation';
import { FormError } from './form-error';

/**
 * What is wrong with a field, read from the rule that failed (never from its message). Each kind has a
 * catalogue message; limits come from the rule itself (`max`), so a page never copies a limit.
 */
export type ProblemKind =
  | 'missing'
  | 'tooMany'
  | 'tooShort'
  | 'tooLong'
  | 'future'
  | 'tooEarly'
  | 'controlCharacters'
  | 'invalidChoice'
  | 'invalid';

const PRIORITY: readonly ProblemKind[] = [
  'missing',
  'tooMany',
  'tooShort',
  'tooLong',
  'future',
  'tooEarly',
  'controlCharacters',
  'invalidChoice',
  'invalid',
];

/** One field's problem: its API path (`referral.householdMembers.1.name`) and what is wrong with it. */
export interface FieldProblem {
  path: string;
  /** The path with each list index as `*` (`referral.householdMembers.*.name`): what a form spec names. */
  pattern: string;
  /** The list indexes in the path, outermost first. */
  indexes: number[];
  kind: ProblemKind;
  max?: number;
}

type Context = { min?: number; max?: number } | undefined;

/** Rules that know their own kinds of failure; the others are "missing" when absent, else a wrong value. */
const KIND_OF_RULE: Record<string, (value: unknown, context: Context) => ProblemKind> = {
  isPlainText: (value, context) => {
    const limits = { min: context?.min ?? 1, max: context?.max ?? 0 };
    // With `each`, the value is the list: the most telling problem of its items.
    const found = (Array.isArray(value) ? value : [value]).map((item) => plainTextProblem(item, limits));
    return PRIORITY.find((kind) => (found as string[]).includes(kind)) ?? 'invalid';
  },
  isInstantNotInFuture: (value) => instantProblem(value) ?? 'invalid',
  arrayMaxSize: () => 'tooMany',
};
const CHOICE_RULES = new Set(['isIn', 'isUuid', 'isBoolean', 'isEnum', 'matches']);

function kindOf(rule: string, value: unknown, context: Context): ProblemKind {
  const own = KIND_OF_RULE[rule];
  if (own) return own(value, context);
  if (value === undefined || value === null) return 'missing';
  return CHOICE_RULES.has(rule) ? 'invalidChoice' : 'invalid';
}

function located(path: string, kind: ProblemKind, max?: number): FieldProblem {
  const segments = path.split('.');
  const indexes = segments.filter((segment) => /^\d+$/.test(segment)).map(Number);
  const pattern = segments.map((segment) => (/^\d+$/.test(segment) ? '*' : segment)).join('.');
  return { path, pattern, indexes, kind, ...(max !== undefined ? { max } : {}) };
}

/** class-validator's tree as one problem per field, the most telling kind first when several rules failed. */
export function problemsOf(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own: FieldProblem[] = [];
    if (error.constraints) {
      const found = Object.keys(error.constraints).map((rule) => {
        const context = error.contexts?.[rule] as Context;
        const kind = kindOf(rule, error.value, context);
        return { kind, max: kind === 'tooShort' ? context?.min : context?.max };
      });
      found.sort((a, b) => PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind));
      const first = found[0];
      own.push(
        located(path, first.kind, ['tooLong', 'tooShort', 'tooMany'].includes(first.kind) ? first.max : undefined),
      );
    }
    return [...own, ...problemsOf(error.children ?? [], path)];
  });
}

/** A service's field-keyed 400 (`InvalidInputError.errors`) as problems of one kind. */
export function problemsOfFieldErrors(errors: FieldErrors, kind: ProblemKind = 'invalid'): FieldProblem[] {
  return Object.keys(errors).map((path) => located(path, kind));
}

/** Builds the API DTO from what the form maps to and checks it with the API's own rules. */
export async function validateAs<T extends object>(
  type: ClassConstructor<T>,
  plain: object,
): Promise<{ dto: T; problems: FieldProblem[] }> {
  const dto = plainToInstance(type, plain);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  return { dto, problems: problemsOf(errors) };
}

/** How one API field shows on a form. */
export interface FieldRule {
  /** The form field id; default: the path with `.` as `-`. A function gets the path's list indexes. */
  field?: string | ((indexes: number[]) => string);
  /** The row number some messages name ("row 2"). */
  row?: (indexes: number[]) => number;
  /**
   * The catalogue key per kind; `otherwise` for the kinds not listed (before the form's common keys).
   * null: not shown (another check of the form already said it).
   */
  keys?: Partial<Record<ProblemKind | 'otherwise', string | null>>;
}

/** A form's map from the API DTO's fields (by pattern) to its own fields and messages. */
export interface FormSpec {
  fields: Record<string, FieldRule>;
  /** Messages for kinds any field can have (too long, control characters, not one of the choices). */
  common: Partial<Record<ProblemKind, string>> & { otherwise: string };
  /** Where a problem with a field the spec does not name is shown. */
  fallbackField: string;
}

/** Each problem as the form shows it; null when the spec says another check already reported it. */
export function formErrorOf(problem: FieldProblem, spec: FormSpec): FormError | null {
  const rule = spec.fields[problem.pattern];
  if (!rule) return { field: spec.fallbackField, key: spec.common.otherwise };
  const own = rule.keys?.[problem.kind] !== undefined ? rule.keys[problem.kind] : rule.keys?.otherwise;
  if (own === null) return null;
  const key = own ?? spec.common[problem.kind] ?? spec.common.otherwise;
  const field =
    typeof rule.field === 'function' ? rule.field(problem.indexes) : (rule.field ?? problem.path.split('.').join('-'));
  const error: FormError = { field, key };
  if (rule.row) error.row = rule.row(problem.indexes);
  if (problem.max !== undefined) error.max = problem.max;
  return error;
}
