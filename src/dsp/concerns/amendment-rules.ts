import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { InvalidInputError, RuleBrokenError } from '../../common/domain-error';
import { Concern } from './concern.entity';
import { RecordConcernDto } from './dto/record-concern.dto';
import { AMENDABLE_FIELDS, AmendableField, AmendmentValue } from './concern-amendment.entity';

/** Its recorder may correct a concern for this long after recording it; a DSP of its organisation, any time. */
export const AMENDMENT_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The longest reason a correction may give (characters). */
export const MAX_AMENDMENT_REASON = 2000;

export const isAmendableField = (field: unknown): field is AmendableField =>
  typeof field === 'string' && (AMENDABLE_FIELDS as readonly string[]).includes(field);

/** The rules a correction can break (each a 422 with its `rule` code). */
/**
 * Once a DSP has decided or referred, what the concern says is what they acted on: its recorder may no
 * longer change it (a DSP still may, and the receiving team sees corrections made after a referral).
 */
export class AmendmentAfterTriageError extends RuleBrokenError {
  constructor() {
    super(
      'amendment_after_triage',
      'field',
      'A designated safeguarding person has already acted on this concern: ask them to correct it',
    );
  }
}

export class AmendmentWindowClosedError extends RuleBrokenError {
  constructor() {
    super(
      'amendment_window_closed',
      'field',
      'You recorded this concern more than 24 hours ago: ask a designated safeguarding person to correct it',
    );
  }
}

export class AmendmentUnchangedError extends RuleBrokenError {
  constructor() {
    super('amendment_unchanged', 'value', 'The new value is the same as the current one: nothing to correct');
  }
}

/**
 * The value for `field`, checked exactly as recording a concern checks that field (RecordConcernDto's
 * own validators: the same codes, limits and "not in the future"), normalised (an instant as ISO text,
 * a missing optional value as null). Bad input is a 400 on `value`.
 */
export function parseAmendmentValue(field: AmendableField, value: unknown): AmendmentValue {
  const errors = validateSync(plainToInstance(RecordConcernDto, { [field]: value }), {
    forbidUnknownValues: false,
  }).filter((error) => error.property === field);
  if (errors.length > 0 || value === undefined)
    throw new InvalidInputError({
      value: errors.length
        ? errors.flatMap((error) => Object.values(error.constraints ?? {})).map((m) => m.replace(field, 'value'))
        : ['value is required'],
    });
  // A list is cleared with [], never null (the projection keeps a list).
  if (value === null && (field === 'issues' || field === 'indicators'))
    throw new InvalidInputError({ value: ['value must be a list (empty to clear it)'] });
  if (value === null) return null;
  if (field === 'occurredAt') return new Date(value as string).toISOString();
  if (field === 'issues' || field === 'indicators') return [...new Set(value as string[])];
  return value as string;
}

/** The field's value on a concern (its current values), as an amendment stores it. */
export function valueOf(concern: Pick<Concern, AmendableField>, field: AmendableField): AmendmentValue {
  const value = concern[field];
  if (value instanceof Date) return value.toISOString();
  return value ?? null;
}

/** The same value: lists of codes compare as sets, everything else exactly. */
export function sameValue(a: AmendmentValue, b: AmendmentValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const left = new Set(a);
    return left.size === new Set(b).size && b.every((code) => left.has(code));
  }
  return a === b;
}

/** `concern` with `field` set to `value` (a copy). */
export function withValue<T extends Partial<Pick<Concern, AmendableField>>>(
  concern: T,
  field: AmendableField,
  value: AmendmentValue,
): T {
  return { ...concern, [field]: field === 'occurredAt' ? new Date(value as string) : value };
}

/** Whether the recorder is still within the window to correct what they recorded at `recordedAt`. */
export function withinRecorderWindow(recordedAt: Date, now: Date): boolean {
  return now.getTime() - recordedAt.getTime() <= AMENDMENT_WINDOW_MS;
}

export { AMENDABLE_FIELDS };
