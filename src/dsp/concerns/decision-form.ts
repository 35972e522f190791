import { FormError, formErrorOf, FormSpec, given, inPageOrder, validateAs } from '../../web/forms';
import { CloseConcernDto, RecordDecisionDto } from './dto/decision.dto';

/** The decision and close forms of the concern page, checked with the API's DTOs. Blank means not given. */

const COMMON: FormSpec['common'] = {
  tooLong: 'concernPage.errors.tooLong',
  controlCharacters: 'concernPage.errors.controlCharacters',
  invalidChoice: 'concernPage.errors.invalidChoice',
  otherwise: 'concernPage.errors.invalid',
};

const DECISION_FORM: FormSpec = {
  common: COMMON,
  fallbackField: 'outcome',
  fields: {
    outcome: { keys: { missing: 'concernPage.errors.outcomeMissing' } },
    rationale: { keys: { missing: 'concernPage.errors.rationaleMissing' } },
  },
};

const CLOSE_FORM: FormSpec = {
  common: COMMON,
  fallbackField: 'closeRationale',
  fields: { rationale: { field: 'closeRationale', keys: { missing: 'concernPage.errors.closeRationaleMissing' } } },
};

export async function toDecisionDto(form: {
  outcome?: string;
  rationale?: string;
}): Promise<{ dto: RecordDecisionDto | null; errors: FormError[] }> {
  const { dto, problems } = await validateAs(RecordDecisionDto, {
    outcome: given(form.outcome),
    rationale: given(form.rationale),
  });
  const errors = inPageOrder(
    problems.flatMap((problem) => formErrorOf(problem, DECISION_FORM) ?? []),
    ['outcome', 'rationale'],
  );
  return { dto: errors.length ? null : dto, errors };
}

export async function toCloseDto(form: {
  closeRationale?: string;
}): Promise<{ dto: CloseConcernDto | null; errors: FormError[] }> {
  const { dto, problems } = await validateAs(CloseConcernDto, { rationale: given(form.closeRationale) });
  const errors = problems.flatMap((problem) => formErrorOf(problem, CLOSE_FORM) ?? []);
  return { dto: errors.length ? null : dto, errors };
}
