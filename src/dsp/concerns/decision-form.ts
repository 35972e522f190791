import { londonInstant } from '../../calendar/london-time';
import { DECISION_OUTCOMES, REASONABLE_CAUSE_ANSWERS } from '../../guidance/codes';
import { Guidance, needsReasonForRoute } from '../../guidance/guidance-engine';
import { addOnce, FormError, formErrorOf, FormSpec, given, inPageOrder, isBlank, validateAs } from '../../web/forms';
import { MIN_DECISION_REASON_FOR_ROUTE } from './concern-errors';
import { CloseConcernDto, RecordDecisionDto } from './dto/decision.dto';

/** The decision and close forms of the concern page, checked with the API's DTOs. Blank means not given. */

/** What the DSP typed in the decision form. */
export interface DecisionFormState {
  outcome: string;
  reasonableCause: string;
  rationale: string;
  reasonForRoute: string;
  phonedDate: string;
  phonedTime: string;
}

export function emptyDecisionForm(): DecisionFormState {
  return { outcome: '', reasonableCause: '', rationale: '', reasonForRoute: '', phonedDate: '', phonedTime: '' };
}

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
    reasonableCause: { keys: { missing: 'concernPage.errors.reasonableCauseMissing' } },
    rationale: { keys: { missing: 'concernPage.errors.rationaleMissing' } },
    reasonForRoute: { field: 'decisionReasonForRoute' },
    phonedAt: {
      field: 'decisionPhonedDate',
      keys: { future: 'concernPage.errors.phonedFuture', otherwise: 'concernPage.errors.phonedInvalid' },
    },
  },
};

/** The decision form's fields in page order, so the error summary reads top to bottom. */
const DECISION_FIELD_ORDER = [
  'reasonableCause',
  'outcome',
  'decisionReasonForRoute',
  'decisionPhonedDate',
  'rationale',
];

const CLOSE_FORM: FormSpec = {
  common: COMMON,
  fallbackField: 'closeRationale',
  fields: { rationale: { field: 'closeRationale', keys: { missing: 'concernPage.errors.closeRationaleMissing' } } },
};

/**
 * The RecordDecisionDto the form describes. The page always asks the threshold question, so a blank
 * answer is a field error here (the API leaves it optional: absent means not answered).
 */
export async function toDecisionDto(
  form: Partial<DecisionFormState>,
): Promise<{ dto: RecordDecisionDto | null; errors: FormError[] }> {
  const errors: FormError[] = [];
  if (isBlank(form.reasonableCause ?? ''))
    errors.push({ field: 'reasonableCause', key: 'concernPage.errors.reasonableCauseMissing' });
  let phonedAt: string | undefined;
  const phonedDate = form.phonedDate ?? '';
  const phonedTime = form.phonedTime ?? '';
  if (!isBlank(phonedDate) || !isBlank(phonedTime)) {
    phonedAt = londonInstant(phonedDate, phonedTime) ?? undefined;
    if (!phonedAt)
      errors.push({
        field: 'decisionPhonedDate',
        key:
          isBlank(phonedDate) || isBlank(phonedTime)
            ? 'concernPage.errors.phonedIncomplete'
            : 'concernPage.errors.phonedInvalid',
      });
  }
  const { dto, problems } = await validateAs(RecordDecisionDto, {
    outcome: given(form.outcome),
    reasonableCause: given(form.reasonableCause),
    rationale: given(form.rationale),
    reasonForRoute: given(form.reasonForRoute),
    phonedAt,
  });
  for (const problem of problems) addOnce(errors, formErrorOf(problem, DECISION_FORM));
  return { dto: errors.length ? null : dto, errors: inPageOrder(errors, DECISION_FIELD_ORDER) };
}

/**
 * The decision rule the form as typed already breaks, given the guidance evaluated with its answer: a
 * route below a child-at-risk guidance with no reason. Shown with the field problems, all at once.
 */
export function decisionRuleErrorsOf(
  form: Partial<DecisionFormState>,
  guidance: Pick<Guidance, 'level' | 'route'>,
): FormError[] {
  const outcome = DECISION_OUTCOMES.find((known) => known === form.outcome);
  if (!outcome) return [];
  const judgement = REASONABLE_CAUSE_ANSWERS.find((answer) => answer === form.reasonableCause) ?? null;
  if (!needsReasonForRoute(outcome, guidance, judgement)) return [];
  if ((form.reasonForRoute ?? '').trim().length >= MIN_DECISION_REASON_FOR_ROUTE) return [];
  return [
    {
      field: 'decisionReasonForRoute',
      key: 'concernPage.errors.decisionReasonForRoute',
      max: MIN_DECISION_REASON_FOR_ROUTE,
    },
  ];
}

/** Field problems and the rule's together, one message a field, in page order. */
export function withDecisionRuleErrors(
  fieldErrors: readonly FormError[],
  ruleErrors: readonly FormError[],
): FormError[] {
  const all = [...fieldErrors];
  for (const error of ruleErrors) addOnce(all, error);
  return inPageOrder(all, DECISION_FIELD_ORDER);
}

export async function toCloseDto(form: {
  closeRationale?: string;
}): Promise<{ dto: CloseConcernDto | null; errors: FormError[] }> {
  const { dto, problems } = await validateAs(CloseConcernDto, { rationale: given(form.closeRationale) });
  const errors = problems.flatMap((problem) => formErrorOf(problem, CLOSE_FORM) ?? []);
  return { dto: errors.length ? null : dto, errors };
}
