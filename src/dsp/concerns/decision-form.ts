import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FormError } from './concern-form';
import { CloseConcernDto, RecordDecisionDto } from './dto/decision.dto';

/** The decision and close forms of the concern page, checked with the API's DTOs. Blank means not given. */

const given = (value: string | undefined): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;
const MAX = 10000;

function rationaleError(field: string, value: string | undefined, missingKey: string): FormError {
  if (given(value) === undefined) return { field, key: missingKey };
  if ((value as string).length > MAX) return { field, key: 'concernPage.errors.tooLong', max: MAX };
  return { field, key: 'concernPage.errors.controlCharacters' };
}

export async function toDecisionDto(form: {
  outcome?: string;
  rationale?: string;
}): Promise<{ dto: RecordDecisionDto | null; errors: FormError[] }> {
  const dto = plainToInstance(RecordDecisionDto, { outcome: given(form.outcome), rationale: given(form.rationale) });
  const problems = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  const errors: FormError[] = [];
  for (const problem of problems) {
    if (problem.property === 'outcome')
      errors.push({
        field: 'outcome',
        key:
          given(form.outcome) === undefined ? 'concernPage.errors.outcomeMissing' : 'concernPage.errors.invalidChoice',
      });
    if (problem.property === 'rationale')
      errors.push(rationaleError('rationale', form.rationale, 'concernPage.errors.rationaleMissing'));
  }
  errors.sort((a, b) => (a.field === 'outcome' ? -1 : b.field === 'outcome' ? 1 : 0));
  return { dto: errors.length ? null : dto, errors };
}

export async function toCloseDto(form: {
  closeRationale?: string;
}): Promise<{ dto: CloseConcernDto | null; errors: FormError[] }> {
  const dto = plainToInstance(CloseConcernDto, { rationale: given(form.closeRationale) });
  const problems = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  const errors = problems.length
    ? [rationaleError('closeRationale', form.closeRationale, 'concernPage.errors.closeRationaleMissing')]
    : [];
  return { dto: errors.length ? null : dto, errors };
}
